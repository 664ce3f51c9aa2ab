"""Audio for the waveform view: decoding with PyAV, peaks kept on disk, and the segments of an <Audio> object.

Core layer, no Qt. PyAV is imported only when a file is decoded, so lsview starts without paying for it.
"""
