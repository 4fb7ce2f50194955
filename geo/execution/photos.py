"""Photos with a progress update: checked, re-encoded, stripped of metadata.

An uploaded file is never stored as sent. :func:`prepare_photo` opens it with
Pillow (JPEG or PNG only, by content, not by name), refuses files that are too
large in bytes or in pixels (decompression bombs), turns it upright by its
EXIF orientation, shrinks it to the configured longest side and writes a new
JPEG without any metadata (no EXIF, no GPS position, no camera serial).
"""

from __future__ import annotations

import io

from .. import model as m
from ..errors import ValidationError

ACCEPTED_FORMATS = ("JPEG", "PNG")
# Pixels Pillow may decode at all (about 50 megapixels): more is refused
# before decoding, so a tiny file that claims a huge image cannot exhaust memory.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85


def prepare_photo(raw: bytes, max_upload_mb: float = 10, max_side_px: int = 1600) -> m.UpdatePhoto:
    """A cleaned :class:`~geo.model.UpdatePhoto` from uploaded bytes;
    :class:`ValidationError` (field ``foto``) for anything else."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not raw:
        raise ValidationError("het bestand is leeg", where="foto")
    if len(raw) > max_upload_mb * 1024 * 1024:
        raise ValidationError(
            f"de foto is te groot ({len(raw) / 1024 / 1024:.1f} MB, maximaal {max_upload_mb:g} MB)", where="foto")
    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.format not in ACCEPTED_FORMATS:
                raise ValidationError(f"alleen JPEG- of PNG-foto's (dit is {img.format or 'onbekend'})", where="foto")
            if img.width * img.height > MAX_PIXELS:
                raise ValidationError(f"de foto heeft te veel pixels ({img.width} × {img.height})", where="foto")
            img.load()
            img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                flat = Image.new("RGB", img.size, (255, 255, 255))
                flat.paste(img, mask=img.getchannel("A"))
                img = flat
            elif img.mode != "RGB":
                img = img.convert("RGB")
            img.thumbnail((max_side_px, max_side_px))
            # A fresh image holds pixels only: nothing of the original's info travels along.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            width, height = clean.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError("dit is geen leesbare JPEG- of PNG-foto", where="foto") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # truncated or damaged file
        raise ValidationError(f"de foto is beschadigd of onvolledig ({type(exc).__name__})", where="foto") from None
    return m.UpdatePhoto(content_type="image/jpeg", data=out.getvalue(), width=width, height=height)
