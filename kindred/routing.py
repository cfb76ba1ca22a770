from django.urls import path

from kindred.community.consumers import RoomConsumer
from kindred.core.consumers import EchoConsumer

websocket_urlpatterns = [
    path("ws/echo/", EchoConsumer.as_asgi()),
    path("ws/rooms/<uuid:public_id>/", RoomConsumer.as_asgi()),
]
