"""What a video really is, asked of ffprobe (Debian's ffmpeg): its duration and its video codec.

A file ffprobe cannot read, or one without a video stream or a duration, is refused — whatever
its first bytes claimed. Codecs every phone browser plays are listed; others are flagged so the
page can say the lesson may not play everywhere (transcoding is not done here yet).
"""

import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ganxun.learning.errors import LearningError

FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
TIMEOUT_SECONDS = 30
PLAYABLE_CODECS = {"h264", "vp8", "vp9", "av1"}
MAX_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Probe:
    duration_seconds: int
    codec: str
    width: int
    height: int

    @property
    def plays_everywhere(self) -> bool:
        return self.codec in PLAYABLE_CODECS


def unreadable(detail: str = "") -> LearningError:
    return LearningError(
        "unreadable_video",
        _("无法读取该视频（文件损坏或不是视频）；请上传 MP4（H.264）或 WebM 格式的视频。"),
        field="file",
        detail=detail[:200],
    )


def probe(path: Path | str) -> Probe:
    """Duration (whole seconds, at least 1) and the first video stream's codec and size."""
    try:
        done = subprocess.run(
            [
                FFPROBE,
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_entries",
                "format=duration:stream=codec_type,codec_name,width,height,duration",
                str(path),
            ],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise unreadable(str(exc)) from exc
    if done.returncode != 0:
        raise unreadable(done.stderr.decode("utf-8", "replace"))
    try:
        info = json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise unreadable("json") from exc
    video = next((s for s in info.get("streams", []) if s.get("codec_type") == "video"), None)
    if video is None:
        raise LearningError(
            "no_video_stream", _("该文件中没有视频画面（可能是音频或图片）。"), field="file"
        )
    duration = _seconds(info.get("format", {}).get("duration")) or _seconds(video.get("duration"))
    if not duration or duration > MAX_SECONDS:
        raise unreadable("duration")
    return Probe(
        duration_seconds=max(1, math.ceil(duration - 0.05)),
        codec=str(video.get("codec_name") or "")[:20],
        width=int(video.get("width") or 0),
        height=int(video.get("height") or 0),
    )


def _seconds(value) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None
