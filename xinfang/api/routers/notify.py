from typing import Annotated, Optional

from ninja import Field, Query, Router, Schema

from xinfang.notify import services

from ..schemas import In, errors

router = Router(tags=["notifications 通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str = Field(description="本站路径，如 /cases/<事项编号>/，无则为空 / A path on this site, or empty")
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
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        ..., min_length=1, max_length=500, description="要标为已读的通知编号 / Notifications to mark read")


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
    """把本人的这些通知标为已读；有一条不是本人的或不存在，则一条也不标 /
    Mark these notifications of yours read. If any id is not yours, none is marked."""
    marked = services.mark_read(request.auth, payload.ids)
    return {"marked": marked, "unread": services.unread_count(request.auth)}


@router.post("/read-all", response={200: ReadOut})
def mark_all_read(request):
    """把本人的全部通知标为已读 / Mark all your notifications read."""
    marked = services.mark_read(request.auth, "all")
    return {"marked": marked, "unread": services.unread_count(request.auth)}
