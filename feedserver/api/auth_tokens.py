"""POST /auth/token: trade an email and password for a personal API token."""

from flask_smorest import Blueprint, abort

from feedserver.api.schemas.users import TokenRequestSchema, TokenSchema
from feedserver.auth.tokens import issue_token
from feedserver.auth.users import authenticate
from feedserver.extensions import db

blp = Blueprint("auth_tokens", __name__, description="Sign in and get an API token")


@blp.post("/auth/token")
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.doc(security=[])
def create_token(args):
    """Create a personal API token (shown once) for the given email and password."""
    user = authenticate(args["email"], args["password"])
    if user is None:
        abort(401, message="email or password is wrong")
    token, plaintext = issue_token(user, args["name"])
    db.session.commit()
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "token": plaintext,
        "created_at": token.created_at,
    }
