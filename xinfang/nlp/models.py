from django.conf import settings
from django.db import models


class TermKind(models.TextChoices):
    PLACE = "place", "地名"
    ORG = "org", "单位名称"
    WORD = "word", "专用词语"


class Term(models.Model):
    """A word of the user dictionary: a local place (a residential compound, a village
    group, a road), an organisation or a term the office uses, which jieba must keep whole.
    Units' and categories' names are in the dictionary without being entered here."""

    word = models.CharField("词语", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=8, choices=TermKind.choices, default=TermKind.PLACE)
    unit = models.ForeignKey("org.Unit", verbose_name="属地单位", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="地名所属的单位（属地），用于建议属地单位")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "用户词典词条"
        verbose_name_plural = "用户词典"
        ordering = ["word"]

    def __str__(self):
        return self.word


class DictionaryState(models.Model):
    """The version of the user dictionary (Terms, units' and categories' names), one row.
    Bumped in the transaction that changes any of them (signals.py); every process cuts
    text with the words of the version it reads here, so no process's history (what it
    loaded before) changes how a text or a query is cut."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "用户词典版本"
        verbose_name_plural = "用户词典版本"


class SearchDocument(models.Model):
    """The search text of one case: the segmented words of its titles, petitions' contents
    and replies (`body`), and of its petitioners' names (`names`, matched only for users
    who may see who brought the case). SQLite indexes it with FTS5, PostgreSQL with a GIN
    index on a tsvector of the same words (migration 0002)."""

    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(blank=True)
    names = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检索文本"
        verbose_name_plural = "检索文本"


class TextProfile(models.Model):
    """What the near-duplicate index knows of one petition: the hash of its letters (equal
    for the same text), its MinHash signature, and the place it speaks of. Its LSH band
    keys are in MinHashBand."""

    petition = models.OneToOneField("intake.Petition", primary_key=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    received_at = models.DateTimeField()
    text_hash = models.CharField(max_length=40, blank=True)
    # The hash of the title's letters alone: the same matter sent again with a new text
    # under the same title (a visit after a letter) is found by it.
    title_hash = models.CharField(max_length=40, blank=True, default="")
    signature = models.BinaryField(null=True)
    place = models.CharField("地点", max_length=60, blank=True)
    places = models.JSONField(default=list, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文本特征"
        verbose_name_plural = "文本特征"
        indexes = [
            models.Index(fields=["case"], name="nlp_profile_case"),
            models.Index(fields=["text_hash"], name="nlp_profile_text_hash"),
            models.Index(fields=["title_hash"], name="nlp_profile_title_hash"),
            models.Index(fields=["place", "received_at"], name="nlp_profile_place"),
        ]


class MinHashBand(models.Model):
    """One LSH band key of one petition's signature. Two petitions sharing any key are
    candidates; a lookup is one indexed IN over the new text's band keys."""

    id = models.BigAutoField(primary_key=True)
    key = models.BigIntegerField()
    # A plain number, not a foreign key: sixteen rows per petition, never deleted one by
    # one (a petition's keys are recomputed from its stored signature to remove them), so
    # no second index is kept just for cascades.
    petition_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "petition_id"], name="nlp_band_key")]


class ModelTarget(models.TextChoices):
    CATEGORY = "category", "问题类别"
    UNIT = "unit", "办理单位"


class SuggestionModel(models.Model):
    """One trained version of a suggestion model (category or responsible unit): what it
    was trained on, how well it did in cross-validation, and the fitted pipeline itself.
    The newest active version of each target is the one in use."""

    target = models.CharField("对象", max_length=16, choices=ModelTarget.choices)
    version = models.PositiveIntegerField("版本")
    created_at = models.DateTimeField("训练时间", auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    samples = models.PositiveIntegerField("已标注样本数", default=0)
    classes = models.PositiveIntegerField("类别数", default=0)
    macro_f1 = models.FloatField("宏平均F1（交叉验证）", null=True, blank=True)
    accuracy = models.FloatField("准确率（交叉验证）", null=True, blank=True)
    metrics = models.JSONField("评估明细", default=dict, blank=True)
    notes = models.TextField("说明", blank=True)
    payload = models.BinaryField(editable=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "建议模型"
        verbose_name_plural = "建议模型"
        ordering = ["target", "-version"]
        constraints = [models.UniqueConstraint(fields=["target", "version"], name="nlp_model_target_version")]

    def __str__(self):
        return f"{self.get_target_display()} v{self.version}"
