"""Which network addresses fetching may reach: public ones, plus the ranges a user allows explicitly."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsfold.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges never fetched unless allowed: loopback, private, link-local (and cloud metadata), CGNAT, multicast,
# reserved and documentation ranges, and the IPv6 forms that embed or route to IPv4 (mapped, 6to4, NAT64, Teredo).
BLOCKED_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "::ffff:0:0/96",
        "::/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/32",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR strings (or single addresses) to networks; ConfigError naming a bad one."""
    networks: list[IPNetwork] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"allowed network {value!r} is not a CIDR range ({exc})") from exc
    return tuple(networks)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    packed = address.packed
    if address in ipaddress.ip_network("64:ff9b::/96") or address in ipaddress.ip_network("::/96"):
        return ipaddress.IPv4Address(packed[-4:])
    return None


@dataclass(slots=True, frozen=True)
class AddressPolicy:
    """Decides whether an address may be connected to: public, or inside an explicitly allowed network."""

    allowed: tuple[IPNetwork, ...] = field(default_factory=tuple)

    @classmethod
    def from_strings(cls, values: Iterable[str]) -> AddressPolicy:
        """A policy allowing the given CIDR ranges besides the public internet."""
        return cls(parse_networks(values))

    def _is_allowed(self, address: IPAddress) -> bool:
        """Whether an allowed network holds the address."""
        return any(address.version == net.version and address in net for net in self.allowed)

    def refusal(self, address: IPAddress | str) -> str | None:
        """Why the address may not be reached, or None when it may."""
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        candidates: list[IPAddress] = [ip]
        if isinstance(ip, ipaddress.IPv6Address):
            inner = embedded_ipv4(ip)
            if inner is not None:
                candidates = [inner, ip]
        if self._is_allowed(candidates[0]):
            return None
        for candidate in candidates:
            for network in BLOCKED_NETWORKS:
                if candidate.version == network.version and candidate in network:
                    return f"address {ip} is in blocked range {network}; {allow_hint(str(network))}"
            if not candidate.is_global:
                single = f"{candidate}/{candidate.max_prefixlen}"
                return f"address {ip} is not a public address; {allow_hint(single)}"
        return None


def allow_hint(network: str) -> str:
    """What lets fetching reach a refused network: the command-line flag and the setting."""
    return f"allow it with --allow-network {network} or the setting fetch.allowed_networks"
