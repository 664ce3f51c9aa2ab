"""Audio test projects made on the spot: WAVs from numpy (the stdlib wave module), a config and a task file."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np

AUDIO_CONFIG = """<View>
  <Labels name="kind" toName="audio">
    <Label value="Speech" background="#1f77b4"/>
    <Label value="Music" background="#d62728"/>
  </Labels>
  <Audio name="audio" value="$audio" splitchannels="true"/>
  <TextArea name="transcript" toName="audio" perRegion="true"/>
</View>
"""
RATE = 8000


def write_wav(path: Path, channels: list[np.ndarray], rate: int = RATE) -> Path:
    """A 16-bit WAV of the given channels (floats in -1..1, equal lengths)."""
    data = np.stack(channels, axis=1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.round(np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def two_channel_clip(path: Path, seconds: float = 4.0, rate: int = RATE) -> Path:
    """Left: a 0.8 tone for the first half, silence after; right: silence for a second, then a 0.4 tone."""
    t = np.arange(int(seconds * rate)) / rate
    left = 0.8 * np.sin(2 * np.pi * 200 * t) * (t < seconds / 2)
    right = 0.4 * np.sin(2 * np.pi * 300 * t) * (t >= 1.0)
    return write_wav(path, [left, right], rate)


def segment(rid: str, start: float, end: float, label: str, channel: int | None = 0, score: float | None = None,
            length: float | None = 4.0) -> dict:
    value = {"start": start, "end": end, "labels": [label]}
    if channel is not None:
        value["channel"] = channel
    result = {"id": rid, "from_name": "kind", "to_name": "audio", "type": "labels", "value": value}
    if length is not None:
        result["original_length"] = length
    if score is not None:
        result["score"] = score
    return result


def audio_project(tmp_path: Path, results: list[dict], config: str = AUDIO_CONFIG, audio: str = "clip.wav",
                  annotations: list[dict] | None = None) -> tuple[Path, Path]:
    """(tasks.json, config.xml) in tmp_path for one task whose prediction holds `results`; the clip is made when
    `audio` is clip.wav and absent."""
    if audio == "clip.wav" and not (tmp_path / audio).exists():
        two_channel_clip(tmp_path / audio)
    config_path = tmp_path / "config.xml"
    config_path.write_text(config, encoding="utf-8")
    task = {"id": 7, "data": {"audio": audio}, "predictions": [{"model_version": "vad-1", "result": results}]}
    if annotations is not None:
        task["annotations"] = annotations
    tasks_path = tmp_path / "tasks.json"
    tasks_path.write_text(json.dumps([task]), encoding="utf-8")
    return tasks_path, config_path
