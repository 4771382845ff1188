"""Transports: how request bytes reach a miner (TCP, mock)."""

from .base import Timeouts as Timeouts
from .base import Transport as Transport
from .mock import MockTransport as MockTransport
from .tcp import TcpTransport as TcpTransport

__all__ = ("MockTransport", "TcpTransport", "Timeouts", "Transport")
