"""Per-trainee case variants: a seed derived from a course secret, a trainee and a lab.

HMAC-SHA256 keyed with the secret, so nobody without the secret can compute another
trainee's seed (and so regenerate their case or its key). Practice mode needs no secret:
every lab has a fixed public practice seed.
"""

from __future__ import annotations

import hashlib
import hmac

PRACTICE_SEED = 1


def variant_seed(secret: bytes, trainee_id: str, lab_id: str) -> int:
    """A 63-bit seed for `trainee_id`'s case in `lab_id`; stable for the same inputs."""
    if len(secret) < 16:
        raise ValueError("the course secret must be at least 16 bytes")
    message = f"{trainee_id}\x1f{lab_id}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1
