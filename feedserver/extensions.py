"""Unbound Flask extensions, bound to an app in create_app()."""

from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy

from feedserver.orm import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
socketio = SocketIO()
