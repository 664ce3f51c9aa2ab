"""`lsview push`: reviewed work back to the Label Studio server it was pulled from (core layer, no Qt). Apart from
viewer.core.server, which the project (media of a pulled folder) uses: this package uses the project, the session
and the export."""
