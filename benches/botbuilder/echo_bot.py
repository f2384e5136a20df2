"""Microsoft's Python Bot Framework SDK echo bot (the CloudAdapter sample), for Doberman's message benchmark.

Inbound authentication is the SDK's own, pointed at the benchmark's local OpenID metadata. The outbound token
is the one change: MSAL would call Entra ID, which is unreachable offline, so get_access_token returns a fixed
token (the SDK caches tokens in production, so this removes no per-message work).

Usage: python echo_bot.py PORT APP_ID OPENID_METADATA_URL
"""
import sys

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import MicrosoftAppCredentials

PORT, APP_ID, METADATA_URL = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Config:
    """Public-cloud settings; naming one endpoint makes the SDK read them all from here."""

    APP_ID = APP_ID
    APP_PASSWORD = "bench-secret"
    APP_TYPE = "MultiTenant"
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = METADATA_URL
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = "https://api.botframework.com"
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = "https://api.botframework.com"
    TO_CHANNEL_FROM_BOT_LOGIN_URL = "https://login.microsoftonline.com/botframework.com"
    OAUTH_URL = "https://api.botframework.com"
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
        "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration"
    )


MicrosoftAppCredentials.get_access_token = lambda self, force_refresh=False: "python-bench-token"


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext):
        await turn_context.send_activity(f"Echo: {turn_context.activity.text}")


ADAPTER = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
BOT = EchoBot()


async def messages(request: web.Request) -> web.Response:
    return await ADAPTER.process(request, BOT)


APP = web.Application()
APP.router.add_post("/api/messages", messages)

if __name__ == "__main__":
    web.run_app(APP, host="127.0.0.1", port=PORT, print=None, access_log=None)
