"""What the LTI tests share: the simulated platform registered in quizapp (the `platform`
fixture), a teacher's deep-linking round trip, answering an attempt, and reading a refusal."""

from __future__ import annotations

import re

import jwt
import sqlalchemy as sa
from jwcrypto.jwk import JWK

from quizapp.extensions import db
from quizapp.services.lti.platforms import PlatformSettings, create_platform
from quizapp.services.permissions import OPERATOR
from tests import lti_platform
from tests.lti_platform import INSTRUCTOR, Platform
from tests.quiz_helpers import frozen, right_answer_form, wrong_answer_form

TEACHER_SUB = "lms-teacher-1"


def registered_platform(app, client) -> Platform:
    """The simulated LMS, registered in quizapp, answering its HTTP calls; it knows
    quizapp's key set. (Each test module's `platform` fixture.)"""
    lms = Platform()
    with app.app_context():
        create_platform(
            OPERATOR,
            PlatformSettings(
                name="Moodle test",
                issuer=lms.issuer,
                client_id=lms.client_id,
                deployment_ids=(lms.deployment_id,),
                auth_login_url=lms.auth_login_url,
                auth_token_url=lms.auth_token_url,
                key_set_url=lms.key_set_url,
            ),
        )
        db.session.commit()
    app.config["LTI_HTTP_SESSION"] = lms.session
    lms.tool_jwks = client.get("/lti/jwks").get_json()
    return lms


def deep_link(app, client, lms: Platform) -> int:
    """A teacher places a new quiz from the founding bank through deep linking; the
    assignment's id, after checking the signed response."""
    response, _form = lms.launch(
        client,
        subject=TEACHER_SUB,
        name="Profe Ruiz",
        roles=(INSTRUCTOR,),
        message_type="LtiDeepLinkingRequest",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    with app.app_context():
        bank_id = db.session.scalar(sa.text("SELECT id FROM banks LIMIT 1"))
    selection = response.headers["Location"].rsplit("/", 1)[1]
    answer = client.post(
        f"/lti/select/{selection}/bank",
        data={
            "title": "Quiz de historia",
            "bank": str(bank_id),
            "language": "en",
            "types": ["mcq", "tf"],
            "count": "5",
            "attempts_allowed": "0",
            "grading_method": "highest",
        },
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200, html
    assert 'action="https://lms.test/deep-link-return"' in html
    assert "https://lms.test" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    header = jwt.get_unverified_header(token)
    key = next(k for k in lms.tool_jwks["keys"] if k["kid"] == header["kid"])
    claims = jwt.decode(
        token, JWK(**key).export_to_pem().decode(), algorithms=["RS256"], audience=lms.issuer
    )
    assert claims["iss"] == lms.client_id
    assert claims[lti_platform.LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[lti_platform.LTI + "deployment_id"] == lms.deployment_id
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-platform-data"
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"].endswith("/lti/launch")
    assert item["lineItem"]["scoreMaximum"] == 100
    assignment_id = int(item["custom"]["quizapp_assignment"])
    # The selection is used: a second answer is refused with a page.
    again = client.post(f"/lti/select/{selection}/assignment", data={"assignment": assignment_id})
    assert again.status_code == 400
    return assignment_id


def answer_all(client, app, attempt_id: int, right: bool = True) -> None:
    for position, question in sorted(frozen(app, attempt_id).items()):
        form = right_answer_form(question) if right else wrong_answer_form(question)
        response = client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
        assert response.status_code in (302, 303), response.get_data(as_text=True)


def refused(response, status: int, words: str, code: str) -> None:
    """The response is a refusal page: its status, its words, the code for the admin."""
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert words in page, page
    assert code in page
