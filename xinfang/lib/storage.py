"""Where attachments are written (settings.STORAGES["default"]), and how a stored one is
handed to the public (the portal's pages and its API routes alike)."""

import contextlib
import os

from django.core.files import storage
from django.http import FileResponse, Http404


class FileSystemStorage(storage.FileSystemStorage):
    """Django's file system storage, except that a write that fails half-way (the disk is
    full, an I/O error) removes the part it wrote. The registration that stored the file
    rolls back and removes the files it had finished (intake.services); without this, the
    half-written one would stay on disk with no row pointing at it."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        size = getattr(content, "size", None)
        try:
            return super()._save(name, content)
        except OSError as exc:
            # Only a file this call began and could not finish: never one that was there
            # before, nor a complete one of the same name another writer just made.
            if not existed and not isinstance(exc, FileExistsError) and os.path.lexists(path):
                with contextlib.suppress(OSError):
                    if size is None or os.path.getsize(path) < size:
                        os.remove(path)
            raise


def serve_document(item):
    """A reply document as a download: never shown inline, never sniffed into HTML."""
    return serve_stored(item.file, item.original_name, item.content_type)


def serve_stored(field, filename, content_type):
    """A stored file (a FieldFile) as a download named `filename`: never shown inline,
    never sniffed into HTML; 404 when the file is gone."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
