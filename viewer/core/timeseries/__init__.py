"""Time series (<TimeSeries>, <Channel>, <TimeSeriesLabels>): the tag, its data, its time units and its ranges.

Core layer, no Qt.
"""
