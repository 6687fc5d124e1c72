"""The address policy: every blocked range refused, public addresses allowed, allowed networks opened."""

from __future__ import annotations

import pytest

from newsfold.errors import ConfigError
from newsfold.ingest.addresses import AddressPolicy

BLOCKED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.1.1",
    "100.64.0.1",  # CGNAT
    "0.0.0.0",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "2001:db8::1",
    "::127.0.0.1",  # IPv4-compatible
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "151.101.1.69", "2a00:1450:4001:80b::200e", "2606:4700::6810:84e5"]


@pytest.mark.parametrize("address", BLOCKED)
def test_blocked_addresses_are_refused(address: str) -> None:
    """Loopback, private, link-local, metadata, CGNAT, multicast, reserved and their IPv6 forms are refused."""
    assert AddressPolicy().refusal(address) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    """Ordinary public addresses may be fetched."""
    assert AddressPolicy().refusal(address) is None


def test_allowed_network_opens_only_that_range() -> None:
    """--allow-network 127.0.0.0/8 opens loopback (and its mapped form), nothing else."""
    policy = AddressPolicy.from_strings(["127.0.0.0/8"])
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("::ffff:127.0.0.1") is None
    assert policy.refusal("10.0.0.1") is not None
    assert policy.refusal("169.254.169.254") is not None
    assert policy.refusal("::1") is not None


def test_bad_cidr_is_a_config_error() -> None:
    """A malformed allowed network is reported, not ignored."""
    with pytest.raises(ConfigError, match="not-a-net"):
        AddressPolicy.from_strings(["not-a-net"])
