from django.contrib.auth import authenticate
from ninja import Router, Status

from xinfang.audit.services import record as audit
from xinfang.lib.errors import NotAllowed, ServiceError
from xinfang.org import services as accounts

from ..auth import client_ip
from ..schemas import TokenIn, TokenOut, errors
from ..services import issue_token, revoke_token

router = Router(tags=["auth 认证"])


class BadCredentials(ServiceError):
    status = 401
    code = "unauthorized"


@router.post("/token", auth=None, response={201: TokenOut, **errors(401, 403, 429)})
def create_token(request, payload: TokenIn):
    """用户名和密码换取令牌；令牌只显示这一次 / Exchange a username and password for a token,
    shown once. Then send `Authorization: Bearer <token>`.

    连续多次失败后账号被锁定，返回429 / Repeated failures lock the account: 429 with
    `Retry-After`. An account that uses a second factor also sends `otp`."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # authenticate() also answers None for an inactive account: same answer, so
        # the response does not tell which accounts exist. A locked-out account gets
        # django-axes' answer instead (429, settings.AXES_LOCKOUT_CALLABLE).
        raise BadCredentials("用户名或密码不正确 / Wrong username or password.")
    if user.must_change_password:
        raise NotAllowed("请先登录网页修改管理员设置的初始密码 / Change the password an administrator set on the web page first.",
                         code="password_change_required")
    if accounts.otp_required(user):
        _check_second_factor(request, user, payload.otp)
    token, row = issue_token(user=user, ip=client_ip(request))
    return Status(201, {"token": token, "expires_at": row.expires_at})


def _check_second_factor(request, user, code):
    device = accounts.confirmed_device(user)
    if device is None:
        raise NotAllowed("您的岗位要求双因素认证，请先登录网页启用 / Your role requires a second factor: enrol on the web page first.",
                         code="otp_enrolment_required")
    if not code:
        raise BadCredentials("请提供双因素认证验证码（otp）/ Send the 6-digit code of your authenticator as `otp`.", code="otp_required")
    allowed, _ = device.verify_is_allowed()
    if not (allowed and device.verify_token(code.strip())):
        audit(actor=user, action="auth.otp_failed", obj=user, ip=client_ip(request))
        raise BadCredentials("验证码不正确或已过期 / The code is wrong or expired.", code="otp_invalid")


@router.delete("/token", response={204: None})
def delete_token(request):
    """注销当前令牌 / Revoke the token this request was made with."""
    revoke_token(token_row=request.api_token, actor=request.auth, ip=client_ip(request))
    return Status(204, None)


@router.post("/logout-everywhere", response={204: None})
def logout_everywhere(request):
    """退出所有设备：本人所有网页登录失效，所有令牌（含本令牌）注销 / End every web session of
    the caller and revoke all their tokens, this one included."""
    accounts.logout_everywhere(user=request.auth, actor=request.auth, ip=client_ip(request))
    return Status(204, None)
