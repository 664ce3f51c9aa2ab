"""The video player: frames decoded off the GUI thread (frames), the frame with its boxes (frame_view), the
timeline (timeline) and the player that keeps them at one frame (player). Qt layer; qt/video_page.py wires it."""
