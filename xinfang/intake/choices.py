from django.db import models


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "来电"
    DEPUTY = "deputy", "人大代表转交"
    REFERRAL = "referral", "上级转送"


class Kind(models.TextChoices):
    """The three kinds of matter of the 2022 regulation; the kind decides the path."""

    SUGGESTION = "suggestion", "建议意见"
    ACCUSATION = "accusation", "检举控告"
    GRIEVANCE = "grievance", "申诉求决"


COLLECTIVE_HEADCOUNT = 5  # five or more people with one matter make a collective visit
MAX_REPRESENTATIVES = 5  # Art. 20
