from typing import Optional

from ninja import Field, Query, Router, Schema

from xinfang.lib.errors import Invalid
from xinfang.notify import services

from ..schemas import In, errors

router = Router(tags=["notifications 通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str = Field(description="本站路径，如 /cases/341122-XFJ-2026-00001/ / A path on this site")
    created_at: str
    read_at: Optional[str]

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_created_at(obj):
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_read_at(obj):
        return obj.read_at.isoformat() if obj.read_at else None


class NotificationPageOut(Schema):
    count: int
    unread: int
    page: int
    pages: int
    items: list[NotificationOut]


class UnreadOut(Schema):
    unread: int


class ReadIn(In):
    ids: list[int] = Field(default_factory=list, max_length=500, description="要标为已读的通知编号 / Notifications to mark read")
    all: bool = Field(False, description="全部标为已读（此时不需要 ids）/ Mark all read (ids not needed)")


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("", response={200: NotificationPageOut}, by_alias=True)
def list_notifications(request, page: int = Query(1, ge=1, le=100000), unread: bool = Query(False)):
    """本人的通知，新的在前，每页20条 / Your notifications, newest first, 20 a page."""
    found = services.notifications_for(request.auth, page, unread_only=unread)
    return {"count": found.paginator.count, "unread": services.unread_count(request.auth), "page": found.number,
            "pages": found.paginator.num_pages, "items": list(found.object_list)}


@router.get("/unread", response={200: UnreadOut})
def unread_count(request):
    """本人未读通知的条数 / How many of your notifications are unread."""
    return {"unread": services.unread_count(request.auth)}


@router.post("/read", response={200: ReadOut, **errors(404)})
def mark_read(request, payload: ReadIn):
    """把本人的通知标为已读：给出 ids，或 all=true。有一条不是本人的或不存在，则一条也不标 /
    Mark your notifications read: give ids, or all=true. If any id is not yours, none is marked."""
    if payload.all and payload.ids:
        raise Invalid("ids 与 all 只能给一个 / Give ids or all, not both.", fields={"all": "与 ids 二选一 / ids or all."})
    marked = services.mark_read(request.auth, "all" if payload.all else payload.ids)
    return {"marked": marked, "unread": services.unread_count(request.auth)}
