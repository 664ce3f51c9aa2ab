"""The rules of the editing tools: drags on shapes, the results of new and relabelled regions, control visibility.

Core layer, no Qt. The canvas tools and the Region panel in viewer/qt call these with plain values.
"""
