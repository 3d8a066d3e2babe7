"""Reading Chinese: folding (traditional to simplified, full-width to half-width, case),
hiding personal numbers, and segmentation with jieba plus the deployment's own words.

Everything here is a plain function of a string. The only state is the jieba tokenizer,
built once per process from jieba's own dictionary (shipped inside the package: nothing
is downloaded) plus the deployment's user dictionary (nlp.Term, the units' and the
categories' names). Which user words it holds is decided by the database alone: the
dictionary's version (nlp.DictionaryState, bumped with every change) is read before a
text is cut (once per request), and a process holding another version reloads. So
every process cuts a text, and a query, the same way whatever it did before
(docs/nlp.md, "One dictionary").
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

# --- folding ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fold_table():
    """One character to one character, so that positions in the folded text are the
    positions in the original (highlighting relies on it)."""
    table = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0).lower()
    table[0x3000] = " "  # ideographic space
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


def fold(text):
    """Traditional characters to simplified (信訪 → 信访, by OpenCC's character table),
    full-width letters and digits to half-width, Latin letters to lower case. Keeps the
    length of the text."""
    return (text or "").translate(_fold_table())


# --- personal numbers ---------------------------------------------------------------

# Placeholders are words jieba keeps whole; tokens() drops them, so they never reach a
# suggestion, a topic label or the search index.
PII_PATTERNS = [
    ("〔证件号〕", re.compile(r"(?<![0-9a-z])\d{17}[\dx](?![0-9a-z])|(?<![0-9a-z])\d{15}(?![0-9a-z])", re.I)),
    ("〔邮箱〕", re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")),
    ("〔电话〕", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("〔电话〕", re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")),
    ("〔号码〕", re.compile(r"(?<!\d)\d{9,}(?!\d)")),  # bank cards, account numbers, other long numbers
]
PLACEHOLDERS = {p for p, _ in PII_PATTERNS}


def redact(text):
    """Replace ID numbers, phone numbers, e-mail addresses and long digit runs."""
    for placeholder, pattern in PII_PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def prepare(text, max_chars=None):
    """What every analysis starts from: at most `max_chars`, folded, personal numbers
    hidden, control characters gone."""
    if max_chars is None:
        from .conf import nlp_setting

        max_chars = nlp_setting("max_chars")
    return _prepare((text or "")[:max_chars])


@lru_cache(maxsize=32)
def _prepare(text):
    text = fold(unicodedata.normalize("NFC", text))
    text = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text) if not text.isprintable() else text
    return redact(text)


# --- segmentation -------------------------------------------------------------------

LONG_RUN = re.compile(r"([\u3400-\u9fff]{60})")
WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]", re.I)
# Words of letters that carry no subject; dropped from topic labels only.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 我 我们 你 你们 他 她 它 他们 这 那 这个 那个 就 也 都 而 但 并 被 把 对 从 向 于 为 以 之 其 等 "
    "请 请求 要求 希望 反映 问题 情况 相关 有关 部门 领导 尊敬 您好 你好 谢谢 感谢 一下 一个 没有 什么 怎么 如何 为什么 已经 还是 可以 "
    "能否 是否 不能 不是 这样 因为 所以 如果 但是 现在 目前 至今 今年 去年 多次 一直 进行 处理 解决 市民 网友 本人 我家 大家 "
    "之后 以后 以前 时候 时间 年 月 日 号 个 人 上 下 中 后 前 里 让 给 说 到 去 来 会 能 要 不 很 还 又 再 才 只 更 最 已 将 由 "
    "此 该 各 每 所 着 过 吗 呢 吧 啊 呀 哦 嘛 么".split()
)


_local = threading.local()
UNREAD = object()


def dictionary_version():
    """The user dictionary's version as the database holds it; None when no database
    can be read (a script outside Django, before migrate). Read once per request (the
    request_started signal clears the memo, nlp/signals.py) and on every call outside
    one."""
    memo = getattr(_local, "memo", UNREAD)
    if memo is not UNREAD:
        return memo
    try:
        from .models import DictionaryState

        version = DictionaryState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    except Exception:  # no table yet, no database access, a script outside Django
        version = None
    if getattr(_local, "in_request", False):
        _local.memo = version
    return version


def request_started():
    _local.in_request, _local.memo = True, UNREAD


def request_finished():
    _local.in_request, _local.memo = False, UNREAD


class Segmenter:
    """jieba's tokenizer plus the deployment's words of the version the database holds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokenizer = None
        self._user_words = set()
        self._extra_words = set()
        self._loaded = UNREAD
        self.version = 0

    def _base(self):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        try:
            from django.conf import settings

            cache_dir = Path(settings.VAR_DIR) / "nlp"
            cache_dir.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(cache_dir)
        except Exception:  # outside Django: jieba's default temporary directory
            pass
        tokenizer.initialize()
        return tokenizer

    def stale(self):
        """This process changed the dictionary: read its version again, even inside the
        request that made the change."""
        _local.memo = UNREAD
        self._loaded = UNREAD

    def tokenizer(self, refresh=True):
        """The tokenizer; with `refresh`, first brought to the database's version."""
        wanted = dictionary_version() if refresh else None
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = self._base()
            if refresh and (wanted != self._loaded or wanted is None and self._loaded is UNREAD):
                self._loaded = wanted
                words = deployment_words()
                if words is not None and words != self._user_words:
                    self.version += 1
                    for word in self._user_words - words - self._extra_words:
                        self._tokenizer.del_word(word)
                    for word in words - self._user_words:
                        self._tokenizer.add_word(word)
                    self._user_words = words
            return self._tokenizer

    def add_words(self, words, freq=None):
        """Words for a one-off evaluation outside the deployment (a taxonomy read from a
        file: classify_eval, bench/), kept for the life of that process. Never called
        while serving: there, every word comes from the database (deployment_words)."""
        tokenizer = self.tokenizer()
        with self._lock:
            for word in words:
                word = fold(word).strip()
                if word and word not in self._extra_words and " " not in word:
                    tokenizer.add_word(word, freq)
                    self._extra_words.add(word)
                    self.version += 1


SEGMENTER = Segmenter()


def deployment_words():
    """The user dictionary: the administrator's terms, units' and categories' names.
    None when the database cannot be read (a script outside Django, before migrate)."""
    try:
        from xinfang.intake.models import Category
        from xinfang.org.models import Unit

        from .models import Term
    except Exception:
        return None
    words = set()
    try:
        words.update(Term.objects.filter(is_active=True).values_list("word", flat=True))
        for name, short in Unit.objects.filter(is_active=True).values_list("name", "short_name"):
            words.update(unit_aliases(name, short))
        words.update(Category.objects.filter(is_active=True).values_list("name", flat=True))
    except Exception:  # no table yet, no database access (a plain unit test), a script outside Django
        return None
    return {fold(w).strip() for w in words if w and 1 < len(w.strip()) <= 30 and " " not in w.strip()}


UNIT_SUFFIXES = ("人民政府", "委员会", "办事处", "村民委员会", "居民委员会")


def unit_aliases(name, short_name=""):
    """The names a text uses for a unit: 青山乡人民政府 is written 青山乡."""
    names = {name}
    if short_name:
        names.add(short_name)
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            names.add(name[: -len(suffix)])
    return {n for n in names if n}


def tokens(text, *, search=False, prepared=False, keep_stopwords=True, refresh=True):
    """The words of a text, folded, without punctuation, spaces or personal numbers.
    `search=True` also yields the shorter words inside long ones (补偿款 → 补偿, 补偿款),
    which the search index needs so a query of either finds the text. `refresh=False`
    uses the dictionary as it is, without looking at the database.

    A registration reads its text several times over (search index, near-duplicates,
    places, suggestions), each time cut a little differently (title and text joined by
    a line break or by 。, the first 1,000 characters…). jieba cuts every run of letters
    on its own, so the text is cut sentence by sentence and each sentence's cut is
    kept (keyed by the dictionary's version): jieba runs once per sentence, whatever
    the number of readers."""
    if not prepared:
        text = prepare(text)
    tokenizer = SEGMENTER.tokenizer(refresh)
    version = SEGMENTER.version
    out = []
    for sentence in SENTENCE_END.split(text):
        if not sentence:
            continue
        for word in _cut_sentence(sentence, version):
            if search and len(word) > 2:
                out.extend(_inner_words(word, tokenizer.FREQ))
            out.append(word)
    if not keep_stopwords:
        out = [w for w in out if w not in STOPWORDS and not w.isdigit()]
    return out


# Characters that end a run of letters for jieba (its blocks are runs of CJK, Latin
# letters, digits and +#&._%-): cutting at them gives the same words as cutting whole.
SENTENCE_END = re.compile(r"[\n。！？；，、!?;,]+")


@lru_cache(maxsize=4096)
def _cut_sentence(sentence, version):
    """jieba's words of one sentence, already filtered (no punctuation, placeholders)."""
    tokenizer = SEGMENTER.tokenizer(refresh=False)
    # jieba's HMM copies its path at every character: quadratic on a long run of Chinese
    # with no punctuation. A break every 60 characters keeps it linear.
    sentence = LONG_RUN.sub("\\1\n", sentence)
    out = []
    for word in tokenizer.cut(sentence):
        word = word.strip()
        if word and word not in PLACEHOLDERS and WORDLIKE.search(word):
            out.append(word[:60])
    return tuple(out)


def _inner_words(word, freq):
    """What jieba's cut_for_search adds before a long word: its two- and three-character
    parts that are words of the dictionary."""
    inner = [word[i:i + 2] for i in range(len(word) - 1) if freq.get(word[i:i + 2])]
    if len(word) > 3:
        inner.extend(word[i:i + 3] for i in range(len(word) - 2) if freq.get(word[i:i + 3]))
    return inner


def add_words(words, freq=None):
    SEGMENTER.add_words(words, freq)
