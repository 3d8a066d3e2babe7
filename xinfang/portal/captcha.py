"""A captcha that needs no outside service: four digits drawn by this server with
Pillow, kept as a `Challenge` row for a few minutes, good for one submission.

A wrong answer burns the challenge (10,000 possible answers, one try each); a retried
submission (same idempotency key) may present the same challenge again, so a double
click is not refused for a captcha its first click already used."""

import datetime
import io
import random
import secrets

from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from xinfang.lib.errors import Invalid

from .models import Challenge

LIFETIME = datetime.timedelta(minutes=10)
WIDTH, HEIGHT = 168, 60
BURNT = "!"


def new_challenge():
    """A new challenge; now and then the expired ones are swept away."""
    now = timezone.now()
    if secrets.randbelow(50) == 0:
        Challenge.objects.filter(expires_at__lt=now - LIFETIME).delete()
    return Challenge.objects.create(key=secrets.token_urlsafe(24), answer="".join(secrets.choice("23456789") for _ in range(4)),
                                    expires_at=now + LIFETIME)


def image(key):
    """The PNG of a live challenge, or None. Digits at random heights and tilts over
    noise lines; 0 and 1 are left out because they read as O and l."""
    challenge = Challenge.objects.filter(key=str(key)[:43], expires_at__gt=timezone.now(), used_by="").first()
    if challenge is None:
        return None
    rng = random.Random(secrets.randbits(64))
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 250))
    draw = ImageDraw.Draw(canvas)
    for _ in range(5):
        draw.line([(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _ in range(2)], fill=(rng.randint(120, 190),) * 3, width=2)
    font = ImageFont.load_default(size=38)
    for i, digit in enumerate(challenge.answer):
        glyph = Image.new("RGBA", (44, 52), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((8, 2), digit, font=font, fill=(rng.randint(10, 60), rng.randint(30, 70), rng.randint(90, 140), 255))
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        canvas.paste(glyph, (8 + i * 38 + rng.randint(-3, 3), rng.randint(0, 8)), glyph)
    for _ in range(120):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(rng.randint(90, 200),) * 3)
    canvas = canvas.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()


WRONG = "验证码不正确或已过期，请看新的图片重新输入 / The captcha answer is wrong or has expired; try the new one."


def verify(*, key, answer, used_by):
    """Pass the challenge `key` with `answer` for the submission `used_by` (its
    idempotency key), or raise Invalid on the `captcha` field."""
    key, answer = str(key or "")[:43], "".join(str(answer or "").split())
    if not key or not answer:
        raise Invalid("请输入验证码 / Enter the captcha.", code="captcha", fields={"captcha": "请输入图中的4位数字 / Enter the 4 digits."})
    # One statement on the way through: right answer, live, unused or used by this very
    # submission (a retry).
    if Challenge.objects.filter(Q(used_by="") | Q(used_by=used_by), key=key, answer=answer[:8],
                                expires_at__gt=timezone.now()).update(used_by=used_by):
        return
    # Wrong (or expired, or someone else's): burn it, so that it cannot be tried again.
    Challenge.objects.filter(key=key, used_by="").update(used_by=BURNT)
    raise Invalid(WRONG, code="captcha", fields={"captcha": WRONG})
