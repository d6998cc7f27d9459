"""Campaigns and their members, always within one workspace.

A campaign name is unique per workspace regardless of case (`name_key`), checked first
for a friendly message and enforced by the unique constraint for concurrent creates.
Members are added with INSERT … ON CONFLICT DO NOTHING on (campaign, creator), so adding
the same creator twice, from two shortlists or two clicks at once, makes one member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...influence.errors import NotFound, UserError
from ...influence.names import NameRule, name_key, visible_name
from ..models import Campaign, CampaignMember, Creator, Shortlist, ShortlistItem, utcnow
from ..creators.records import normalize_handle

NEW_EXAMPLE = '/influencer campaign new "Vegan baking launch" 5000 2026-12-01 2026-12-31'
MAX_NAME = 80
NAME_RULE = NameRule("A campaign name", MAX_NAME, NEW_EXAMPLE, forbidden="<>*`")  # < > * ` break Slack's markup
NICHE_RULE = NameRule("A campaign's niche", 200, NEW_EXAMPLE + ' niche:"vegan baking"')
ACTIVE, CLOSED = "active", "closed"


class Goal(StrEnum):
    AWARENESS = "awareness"
    TRAFFIC = "traffic"
    SALES = "sales"


def parse_day(text: str, today: date) -> date:
    """`2026-12-01` or `today`; anything else is a UserError with an example."""
    raw = text.strip().lower()
    if raw == "today":
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UserError(f"“{text[:30]}” is not a date: write it as YYYY-MM-DD (2026-12-01) or `today`.",
                        NEW_EXAMPLE) from None


def parse_goal(text: str) -> Goal:
    try:
        return Goal(text.strip().lower())
    except ValueError:
        raise UserError(f"“{text[:30]}” is not a goal: use awareness, traffic or sales.",
                        NEW_EXAMPLE + " goal:sales") from None


def _name_key(name: str) -> str:
    return name_key(name)


def clean_name(name: str) -> str:
    """The name as stored: visible characters within MAX_NAME (influence/names.py), or a UserError."""
    return visible_name(name, NAME_RULE)


def create_campaign(session: Session, team_id: str, *, name: str, budget_cents: int, owner_id: str,
                    channel_id: str | None, start: date | None = None, end: date | None = None,
                    goal: Goal = Goal.AWARENESS, niche: str | None = None) -> Campaign:
    name = clean_name(name)
    if start is not None and end is not None and end <= start:
        raise UserError(f"The campaign must end after it starts (start {start}, end {end}).", NEW_EXAMPLE)
    taken = UserError(f"There is already a campaign called “{name}” in this workspace: pick another name, "
                      f"or see it with `/influencer campaign show {name}`.", NEW_EXAMPLE)
    if session.scalar(select(Campaign.id).where(Campaign.team_id == team_id, Campaign.name_key == _name_key(name))):
        raise taken
    campaign = Campaign(team_id=team_id, name=name, name_key=_name_key(name), niche=niche, budget_cents=budget_cents,
                        start_date=start, end_date=end, goal=goal.value, owner_id=owner_id, channel_id=channel_id,
                        status=ACTIVE)
    try:
        with session.begin_nested():
            session.add(campaign)
    except IntegrityError:  # created by someone else a moment ago
        raise taken from None
    return campaign


def list_campaigns(session: Session, team_id: str, *, active_only: bool = False) -> list[Campaign]:
    query = select(Campaign).where(Campaign.team_id == team_id)
    if active_only:
        query = query.where(Campaign.status == ACTIVE)
    return list(session.scalars(query.order_by(Campaign.status, Campaign.created_at, Campaign.id)))


def get_campaign(session: Session, team_id: str, name_or_id: str | int) -> Campaign:
    """By id or by name (any case); an unknown name is NotFound listing the workspace's campaigns."""
    if isinstance(name_or_id, int):
        found = session.scalar(select(Campaign).where(Campaign.team_id == team_id, Campaign.id == name_or_id))
    else:
        found = session.scalar(select(Campaign).where(Campaign.team_id == team_id,
                                                      Campaign.name_key == _name_key(name_or_id)))
    if found is not None:
        return found
    names = [c.name for c in list_campaigns(session, team_id)][:20]
    known = ("Campaigns here: " + ", ".join(f"“{n}”" for n in names) + ".") if names else "There are no campaigns yet."
    shown = name_or_id if isinstance(name_or_id, int) else str(name_or_id)[:60]
    raise NotFound(f"No campaign “{shown}” in this workspace. {known}",
                   f'/influencer campaign show "{names[0]}"' if names else NEW_EXAMPLE)


def close_campaign(session: Session, team_id: str, name: str, now: datetime | None = None) -> tuple[Campaign, bool]:
    """Close a campaign; (campaign, False) when it was already closed."""
    campaign = get_campaign(session, team_id, name)
    if campaign.status == CLOSED:
        return campaign, False
    campaign.status, campaign.closed_at = CLOSED, now or utcnow()
    session.flush()
    return campaign, True


# ---------------------------------------------------------------- members

def add_member(session: Session, team_id: str, campaign_id: int, creator_id: int, price_cents: int, added_by: str,
               *, shortlist_item_id: int | None = None, now: datetime | None = None) -> bool:
    """Add a creator at a price; False (and nothing changes) when it is already a member."""
    values = {"team_id": team_id, "campaign_id": campaign_id, "creator_id": creator_id,
              "shortlist_item_id": shortlist_item_id, "agreed_price_cents": price_cents, "status": ACTIVE,
              "added_by": added_by, "added_at": now or utcnow()}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    inserted = session.execute(insert(CampaignMember).values(**values)
                               .on_conflict_do_nothing(index_elements=["campaign_id", "creator_id"])
                               .returning(CampaignMember.id)).scalar()
    return inserted is not None


def add_approved_item(session: Session, team_id: str, shortlist_id: int, item_id: int) -> bool:
    """After an approval: if the shortlist is attached to a campaign, the creator joins it at the item's price.

    The shortlist row is locked first (FOR UPDATE on PostgreSQL), so an approval racing
    `attach_shortlist` either sees the campaign or is seen by it: never missed, never twice.
    """
    campaign_id = session.scalar(select(Shortlist.campaign_id).where(
        Shortlist.id == shortlist_id, Shortlist.team_id == team_id).with_for_update())
    if campaign_id is None:
        return False
    item = session.get(ShortlistItem, item_id)
    if item is None or item.status != "approved":
        return False
    return add_member(session, team_id, campaign_id, item.creator_id, item.price_cents, item.decided_by or "",
                      shortlist_item_id=item.id)


@dataclass(frozen=True, slots=True)
class Attached:
    campaign: Campaign
    added: int  # approved creators who became members now
    already: int  # approved creators who were members already


def active_campaign(session: Session, team_id: str, name_or_id: str | int) -> Campaign:
    """The campaign a shortlist may join: it must exist and not be closed."""
    campaign = get_campaign(session, team_id, name_or_id)
    if campaign.status != ACTIVE:
        raise UserError(f"“{campaign.name}” is closed: attach the shortlist to an active campaign.",
                        "/influencer campaign list")
    return campaign


def attach_shortlist(session: Session, team_id: str, shortlist_id: int, campaign_name_or_id: str | int) -> Attached:
    """Attach a shortlist to a campaign and add its already-approved creators as members."""
    campaign = active_campaign(session, team_id, campaign_name_or_id)
    done = session.execute(update(Shortlist).where(Shortlist.id == shortlist_id, Shortlist.team_id == team_id)
                           .values(campaign_id=campaign.id))
    if not done.rowcount:
        raise NotFound("That shortlist no longer exists in this workspace.")
    approved = session.scalars(select(ShortlistItem).where(
        ShortlistItem.shortlist_id == shortlist_id, ShortlistItem.team_id == team_id,
        ShortlistItem.status == "approved").order_by(ShortlistItem.position)).all()
    added = sum(add_member(session, team_id, campaign.id, i.creator_id, i.price_cents, i.decided_by or "",
                           shortlist_item_id=i.id) for i in approved)
    return Attached(campaign, added, len(approved) - added)


@dataclass(frozen=True, slots=True)
class MemberView:
    member: CampaignMember
    creator: Creator


def members(session: Session, team_id: str, campaign_id: int, *, handle: str | None = None,
            platform: str | None = None) -> list[MemberView]:
    """The campaign's active members by handle; only those with `handle` (and `platform`) when given."""
    query = (select(CampaignMember, Creator).join(Creator, Creator.id == CampaignMember.creator_id)
             .where(CampaignMember.team_id == team_id, CampaignMember.campaign_id == campaign_id,
                    CampaignMember.status == ACTIVE).order_by(Creator.handle, Creator.platform))
    if handle is not None:
        query = query.where(Creator.handle == handle)
    if platform is not None:
        query = query.where(Creator.platform == platform)
    return [MemberView(m, c) for m, c in session.execute(query)]


def find_member(session: Session, team_id: str, campaign: Campaign, handle: str,
                platform: str | None = None) -> MemberView:
    """The member with this handle (and platform, when two platforms share the handle).
    Looked up by handle in SQL: a posts import calls this once per row."""
    wanted = normalize_handle(handle)
    found = members(session, team_id, campaign.id, handle=wanted, platform=platform)
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"@{wanted} is a member on several platforms; say which one.")
    names = ", ".join(f"@{m.creator.handle}" for m in members(session, team_id, campaign.id)[:15]) or "none yet"
    raise NotFound(f"@{wanted} is not a member of “{campaign.name}” (members: {names}). Creators join a "
                   "campaign when approved on a shortlist attached to it.", attach_example(campaign))


def attach_example(campaign: Campaign) -> str:
    """The command that attaches a shortlist to `campaign`: how creators become its members."""
    return f'/influencer find {campaign.niche or "vegan baking"} 2000 campaign:"{campaign.name}"'


def set_price(session: Session, team_id: str, campaign: Campaign, handle: str, price_cents: int) -> MemberView:
    """Edit a member's agreed price (what the brand and the creator settled on)."""
    view = find_member(session, team_id, campaign, handle)
    view.member.agreed_price_cents = price_cents
    session.flush()
    return view


def active_campaign_choices(session: Session, team_id: str, limit: int = 100) -> list[tuple[int, str]]:
    """(id, name) of active campaigns, newest first: what a picker offers (Slack allows 100 options)."""
    return session.execute(select(Campaign.id, Campaign.name).where(
        Campaign.team_id == team_id, Campaign.status == ACTIVE).order_by(Campaign.created_at.desc(), Campaign.id.desc())
        .limit(limit)).all()  # type: ignore[return-value]
