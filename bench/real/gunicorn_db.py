"""gunicorn's configuration for the Flask app of the database series (`-c gunicorn_db.py`).

Only a hook: each worker opens its connection pool after it has forked and, under gevent,
after the monkey-patching, and before it accepts a request (so that the readiness check
and every measured request find the pool full). Nothing is imported at the top: this
file is read by the master, before any patching, and psycopg chooses how it waits on
sockets when it is first imported.
"""


def post_worker_init(worker):
    import sys

    flask_app = sys.modules.get("dbapp_flask")
    if flask_app is not None and worker.wsgi is flask_app.app:
        flask_app.init_pool()
