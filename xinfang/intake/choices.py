from django.db import models

COLLECTIVE_HEADCOUNT = 5  # five or more people with one matter make a collective visit
MAX_REPRESENTATIVES = 5  # Art. 20


class DocumentType(models.TextChoices):
    """证件类型, as the offices' ledgers record it. The codes are those that
    `lib.validators.document_error` checks."""

    RESIDENT_ID = "resident_id", "居民身份证"
    RESIDENCE_PERMIT = "residence_permit", "港澳台居民居住证"
    HKMO_PERMIT = "hkmo_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"
