"""Video: tracks of boxes over frames (track), frames decoded by number (decode), synthetic test media (synth).

Core layer, no Qt; PyAV is imported only by decode and synth, when a video is opened or written.
"""
