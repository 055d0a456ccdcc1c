"""gunicorn's configuration for the portal: `gunicorn --config gunicorn.conf.py
briefing.wsgi` (gunicorn also reads this file by itself when started from this folder).

gunicorn writes "Server: gunicorn" (with its version, in the environ's
SERVER_SOFTWARE) into every response and has no setting to change it: free help for
whoever looks for a server with a known flaw. The name is read from module globals
when each response is written, so setting them here, in the master before it starts
its workers, names every response of every worker. tests/security/test_headers.py
starts gunicorn with this file and reads the header.
"""

import gunicorn
import gunicorn.http.wsgi

SERVER_NAME = "Giao ban"

gunicorn.SERVER = gunicorn.SERVER_SOFTWARE = SERVER_NAME
gunicorn.http.wsgi.SERVER = gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME
