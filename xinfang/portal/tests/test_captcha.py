"""The offline captcha: drawn here, valid for minutes, one try, one submission."""

import datetime
import io

import pytest
import time_machine
from PIL import Image

from xinfang.lib.errors import Invalid
from xinfang.portal import captcha
from xinfang.portal.models import Challenge


def test_the_image_is_a_png_drawn_without_any_outside_service(db):
    challenge = captcha.new_challenge()
    png = captcha.image(challenge.key)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (captcha.WIDTH, captcha.HEIGHT)
    assert len(challenge.answer) == 4 and challenge.answer.isdigit()


def test_a_wrong_answer_burns_the_challenge(db):
    challenge = captcha.new_challenge()
    with pytest.raises(Invalid):
        captcha.verify(key=challenge.key, answer="1111", used_by="k" * 20)  # 1 is never drawn
    with pytest.raises(Invalid):
        captcha.verify(key=challenge.key, answer=challenge.answer, used_by="k" * 20)
    assert captcha.image(challenge.key) is None


def test_an_expired_challenge_does_not_pass(db):
    challenge = captcha.new_challenge()
    with time_machine.travel(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=11)):
        with pytest.raises(Invalid):
            captcha.verify(key=challenge.key, answer=challenge.answer, used_by="k" * 20)


def test_an_empty_answer_asks_for_one(db):
    with pytest.raises(Invalid) as err:
        captcha.verify(key="", answer="", used_by="k" * 20)
    assert "captcha" in err.value.fields


def test_the_answer_may_be_typed_with_spaces(db):
    challenge = captcha.new_challenge()
    captcha.verify(key=challenge.key, answer=" ".join(challenge.answer), used_by="k" * 20)
    assert Challenge.objects.get().used_by == "k" * 20


def test_the_image_of_a_used_challenge_is_gone(client, db):
    challenge = captcha.new_challenge()
    assert client.get(f"/portal/captcha/{challenge.key}.png").status_code == 200
    captcha.verify(key=challenge.key, answer=challenge.answer, used_by="k" * 20)
    assert client.get(f"/portal/captcha/{challenge.key}.png").status_code == 404
