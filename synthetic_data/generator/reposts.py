"""Photos for image work: street scenes whose signs place them, and one photo reposted across
accounts (cropped, mirrored, overlaid, recompressed) with look-alikes that are not copies.

Both are posted on pages as platforms show them: without metadata. The original of the reposted
photo keeps its EXIF, the way a file sent or first uploaded by its author often does.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from synthetic_data.country import CountryPack, PublicPlace
from synthetic_data.generator import scenes
from synthetic_data.generator.context import Gen
from synthetic_data.generator.steprng import Step, new_page, post_url
from synthetic_data.model import Account, Place

CAPTIONS = ("Waiting here.", "Long day.", "Finally arrived.", "Nice weather today.", "On the road again.",
            "Look where I am.", "Busy place.")
NOISE_SIGNS = ("OPEN 24H", "TAXI", "EXIT", "ATM", "CAFE", "TICKETS")
SCENE_PHOTOS = 4


def _place(g: Gen, pack: CountryPack, place: PublicPlace) -> Place:
    place_id = g.place_ids[(pack.code, place.name)]
    return next(p for p in g.case.places if p.place_id == place_id)


def _unique_kind_in_city(pack: CountryPack) -> set[tuple[str, str]]:
    counts = Counter((p.city, p.kind) for p in pack.places)
    return {key for key, n in counts.items() if n == 1}


def _shops_by_city(g: Gen) -> dict[str, list[Account]]:
    """Business accounts (nobody's personal account) whose profile names their city, and whose name no
    other account carries (a shop name on a sign must lead to one town)."""
    owned = {a for p in g.key.people for a in p.accounts}
    names = Counter(a.display_name.casefold() for a in g.case.accounts)
    out: dict[str, list[Account]] = {}
    for account in g.case.accounts:
        if (account.account_id not in owned and account.location and " " in account.display_name
                and names[account.display_name.casefold()] == 1):
            out.setdefault(account.location, []).append(account)
    return out


def make_scene_photos(g: Gen, step: Step) -> None:
    """Street photos, each with enough on its signs to place it within a kilometre."""
    shops = _shops_by_city(g)
    posters = [a for a in g.case.accounts if g.platform_by_id[a.platform_id].kind in ("social", "photos")]
    candidates = [(pack, place) for pack in (g.origin, g.dest) for place in pack.places]
    chosen: list[tuple[CountryPack, PublicPlace]] = []
    cities: set[str] = set()
    for pack, place in step.sample(candidates, len(candidates)):
        if place.city not in cities and len(chosen) < SCENE_PHOTOS:
            chosen.append((pack, place))
            cities.add(place.city)
    for i, (pack, place) in enumerate(chosen):
        unique = (place.city, place.kind) in _unique_kind_in_city(pack)
        kind_word = scenes.KIND_WORDS.get(place.kind, place.kind.replace("_", " ").upper())
        shop = step.pick(shops[place.city]) if shops.get(place.city) else None
        if i == 0 or not unique:
            signs, clues = [place.name], ["name"]
        elif shop is not None and step.chance(0.6):
            signs, clues = [shop.display_name, kind_word], ["shop", "kind"]
        else:
            signs, clues = [f"Welcome to {place.city}", kind_word], ["city", "kind"]
        signs = signs + ([step.pick(NOISE_SIGNS)] if step.chance(0.6) else [])
        moment = step.moment(g.start, g.end - timedelta(days=3))
        record = _place(g, pack, place)
        truth = scenes.picture_truth(step, None, scene_place=record.place_id, clues=clues, taken=moment)
        image_id = scenes.store(step, scenes.scene(step, place.kind, signs), truth, quality=82, text=signs)
        author = step.pick(posters)
        page = new_page(step, "post", author.display_name, step.pick(CAPTIONS),
                        moment + timedelta(hours=step.rng.uniform(0.2, 30)), account=author,
                        url=post_url(step, author))
        page.images.append(image_id)


def make_repost_chain(g: Gen, step: Step) -> None:
    """One office photo: first posted by its author, then reposted by recruiters and strangers."""
    photos_kind = [a for a in g.case.accounts if g.platform_by_id[a.platform_id].kind == "photos"]
    social = [a for a in g.case.accounts if g.platform_by_id[a.platform_id].kind == "social"]
    owned = {a: p for p in g.key.people for a in p.accounts}
    authors = [a for a in photos_kind if a.account_id not in owned or "bystander" in owned[a.account_id].roles]
    if not authors or not social:
        return
    author = step.pick(authors)
    picture = scenes.interior(step)
    pack = step.pick([g.origin, g.dest])
    place = _place(g, pack, step.pick(pack.places))
    first = step.moment(g.start - timedelta(days=200), g.start - timedelta(days=30))
    shot = scenes.Shot(first - timedelta(hours=step.rng.uniform(1, 48)), pack.timezone, place,
                       device=("Kestrel", "K3"))
    truth = scenes.picture_truth(step, shot, place_id=place.place_id)
    original = scenes.store(step, picture, truth, exif=scenes.exif_bytes(shot))
    posts: list[tuple[str, Account, object]] = []
    if step.chance(0.5):  # the author first shared a smaller copy elsewhere, then the file itself
        smaller, quality = scenes.transformed(step, picture, "recompress")
        early = scenes.store(step, smaller, scenes.copy_truth(step, original, "recompress"), quality=quality)
        # Shared between the shot and the original's own post: a copy never precedes the photo.
        posts.append((early, step.pick(social), shot.moment + (first - shot.moment) * step.rng.randint(1, 20) / 21))
    posts.append((original, author, first))
    recruiters = [g.account_by_id[a] for p in g.people("recruiter") for a in p.accounts
                  if a in g.account_by_id and g.platform_by_id[g.account_by_id[a].platform_id].kind == "social"]
    copies: dict[str, object] = {}
    for transform in ["upscale", *step.sample(["crop", "mirror", "overlay", "recompress"], step.rng.randint(2, 3))]:
        copy, quality = scenes.transformed(step, picture, transform)
        copies[scenes.store(step, copy, scenes.copy_truth(step, original, transform), quality=quality)] = copy
    mirrored = [c for c in copies if _transform(g, c) == "mirror"]
    made_from: dict[str, str] = {}
    if mirrored:  # a repost of a repost
        again, quality = scenes.transformed(step, copies[mirrored[0]], "crop")  # type: ignore[arg-type]
        again_id = scenes.store(step, again, scenes.copy_truth(step, mirrored[0], "crop"), quality=quality)
        copies[again_id], made_from[again_id] = again, mirrored[0]
    posted: dict[str, datetime] = {}
    for image_id in copies:
        poster = step.pick(recruiters) if recruiters and step.chance(0.6) else step.pick(social)
        # A repost of a repost follows the copy it was made from (copies come after their source).
        lo = posted[made_from[image_id]] + timedelta(hours=1) if image_id in made_from else first + timedelta(days=2)
        posted[image_id] = step.moment(lo, max(g.end, lo + timedelta(days=2)))
        posts.append((image_id, poster, posted[image_id]))
    for _ in range(2):  # look-alikes: the same kind of room, another photo
        other = scenes.interior(step)
        posts.append((scenes.store(step, other, scenes.picture_truth(step, None)), step.pick(social),
                      step.moment(g.start - timedelta(days=200), g.end)))
    captions = ("Our new office!", "Our team's workplace.", "This is where you will work.", "Modern office, free wifi.",
                "Nice place to work.")
    for image_id, account, moment in posts:
        page = new_page(step, "post", account.display_name, step.pick(captions), moment, account=account,  # type: ignore[arg-type]
                        url=post_url(step, account))
        page.images.append(image_id)


def _transform(g: Gen, image_id: str) -> str | None:
    return next((t.transform for t in g.key.images if t.image_id == image_id), None)
