from django.contrib.auth import authenticate
from ninja import Router, Status

from xinfang.lib.errors import ServiceError

from ..auth import client_ip
from ..schemas import TokenIn, TokenOut
from ..services import issue_token, revoke_token

router = Router(tags=["auth 认证"])


class BadCredentials(ServiceError):
    status = 401
    code = "unauthorized"


@router.post("/token", auth=None, response={201: TokenOut})
def create_token(request, payload: TokenIn):
    """用户名和密码换取令牌；令牌只显示这一次 / Exchange a username and password for a token,
    shown once. Then send `Authorization: Bearer <token>`."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # authenticate() also answers None for an inactive account: same answer, so
        # the response does not tell which accounts exist.
        raise BadCredentials("用户名或密码不正确 / Wrong username or password.")
    token, row = issue_token(user=user, ip=client_ip(request))
    return Status(201, {"token": token, "expires_at": row.expires_at})


@router.delete("/token", response={204: None})
def delete_token(request):
    """注销当前令牌 / Revoke the token this request was made with."""
    revoke_token(token_row=request.api_token, actor=request.auth, ip=client_ip(request))
    return Status(204, None)
