from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from xinfang.lib.errors import NotAllowed

from .services import find_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the staff member the token was issued to, while
    the token is neither expired nor revoked and the account is active."""

    def authenticate(self, request, token):
        row = find_token(token)
        if row is None:
            raise AuthenticationError(message="令牌无效、已过期或已注销，请重新获取 / The token is invalid, expired or revoked; ask for a new one.")
        request.api_token = row
        request.user = row.user
        return row.user


def client_ip(request):
    """The caller's address for the audit record, as the server saw it. Behind a reverse
    proxy this is the proxy unless the proxy layer rewrites REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def staff(request):
    """The caller, who must belong to a unit: every staff route works within the
    caller's unit scope, and an account without a unit (a bare superuser) has none."""
    user = request.auth
    if user.unit_id is None:
        raise NotAllowed("您的账号未分配所属单位，不能办理信访业务 / Your account has no unit, so it has no cases.")
    return user
