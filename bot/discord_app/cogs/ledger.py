"""The caller's ledger: contracts (modal forms, autocomplete), import/export, settings, forget-me."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import OutputFormat, render_answer
from bot.services.ledger import MAX_IMPORT_BYTES

from ..context import CogHost
from ..limits import heavy
from ..owned import OwnedModal, OwnedView
from ..pages import edit_into
from ..replies import defer_thinking, send_answer
from .common import contract_autocomplete, download, user_key

Kind = Literal["hourly", "fixed"]
Status = Literal["active", "paused", "on_hold", "ended"]


# The form's five parts: (attribute, default key, custom_id, label, max length, placeholder).
FORM_INPUTS = (
    ("cid", "id", "contract_id", "Short id (letters, digits, . _ -)", 64, "acme-site"),
    ("name", "name", "names", "Title | Client", 403, "Website fixes | Acme Ltd"),
    ("dates", "dates", "dates", "Started, last activity, last payment", 40, "2025-10-01, 2025-11-05, 2025-11-05"),
    ("money", "money", "money", "Earned USD (escrow after a slash)", 40, "1200 or 600 / 300"),
    ("stars", "stars", "stars", "Public stars 1-5 (empty if none)", 4, ""),
)


class ContractModal(OwnedModal):
    """Add or edit a contract: the five free-text parts; kind and status come from the command's choices.

    Each opened form has its own custom_id (see owned.py) and keeps the contract it edits, the kind and
    the status on the form object: a submission changes exactly what its own user opened.
    """

    cid: discord.ui.TextInput[ContractModal]
    name: discord.ui.TextInput[ContractModal]
    dates: discord.ui.TextInput[ContractModal]
    money: discord.ui.TextInput[ContractModal]
    stars: discord.ui.TextInput[ContractModal]

    def __init__(
        self,
        bot: CogHost,
        owner_id: int,
        *,
        kind: str | None,
        status: str | None,
        edit_id: str | None = None,
        defaults: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            owner_id=owner_id,
            kind=f"contract:{'edit' if edit_id else 'add'}",
            title="Edit contract" if edit_id else "Add a contract",
            timeout=900,
            subject=edit_id or "",
        )
        d = defaults or {}
        self.bot, self.kind, self.status, self.edit_id, self.defaults = bot, kind, status, edit_id, d
        for attribute, default_key, custom_id, label, max_length, placeholder in FORM_INPUTS:
            item: discord.ui.TextInput[ContractModal] = discord.ui.TextInput(
                custom_id=custom_id,
                label=label,
                max_length=max_length,
                default=d.get(default_key),
                placeholder=placeholder or None,
                required=attribute != "stars",
            )
            setattr(self, attribute, item)
            self.add_item(item)

    def fields(self) -> dict[str, object]:
        """The form as contract fields. Editing, the form shows the whole contract, so a part the user
        emptied is sent as "" (cleared: no escrow, no last payment, no stars); adding, it is left out."""
        editing = self.edit_id is not None
        title, _, client = str(self.name.value).partition("|")
        dates = [p.strip() for p in str(self.dates.value).replace(";", ",").split(",")]
        earned, _, escrow = str(self.money.value).partition("/")
        fields: dict[str, object] = {
            "id": str(self.cid.value).strip(),
            "title": title.strip(),
            "client": client.strip() or title.strip(),
            "earnings_usd": earned.strip(),
        }
        if escrow.strip() or editing:
            fields["escrow_usd"] = escrow.strip()
        for key, value in zip(("started", "last_activity", "last_payment"), [*dates, "", "", ""], strict=False):
            if value or editing:
                fields[key] = value
        stars = str(self.stars.value).strip()
        if stars != self.defaults.get("stars", ""):  # untouched: keep the stored value (the form shows it rounded)
            fields["public_stars"] = stars
        if self.kind:
            fields["kind"] = self.kind
        if self.status:
            fields["status"] = self.status
            if self.status == "ended":
                fields["ended"] = fields.get("last_activity") or fields.get("started")
        return fields

    async def on_submit(self, interaction: discord.Interaction) -> None:
        service, user = self.bot.services.ledger, user_key(interaction)
        fields = self.fields()
        if self.edit_id:
            answer = await service.edit_contract(user, self.edit_id, fields)
        else:
            answer = await service.add_contract(user, fields)
        await send_answer(interaction, answer)


class ForgetView(OwnedView):
    """Confirm or cancel /forget-me: only its user can click, and the buttons name this one prompt."""

    def __init__(self, bot: CogHost, owner_id: int) -> None:
        super().__init__(owner_id=owner_id, timeout=120)
        self.bot = bot
        self.confirm.custom_id = self.custom_id("forget:confirm")
        self.cancel.custom_id = self.custom_id("forget:cancel")

    @discord.ui.button(label="Yes, delete everything", style=discord.ButtonStyle.danger, custom_id="forget:confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:  # type: ignore[type-arg]
        answer = await self.bot.services.ledger.forget(user_key(interaction))
        self.stop()
        await edit_into(interaction, answer)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="forget:cancel")
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:  # type: ignore[type-arg]
        self.stop()
        cancelled = render_answer("notice", {"key": "forget_cancelled", "detail": None}, OutputFormat.DISCORD)
        await edit_into(interaction, cancelled)


def _stars_text(stars: float | None) -> str:
    """Stars as the form shows them: at most 2 decimals, so any value fits its 4-character field."""
    return "" if stars is None else f"{stars:.2f}".rstrip("0").rstrip(".")


class LedgerCog(commands.Cog):
    contract = app_commands.Group(name="contract", description="Your contracts")
    ledger = app_commands.Group(name="ledger", description="Import or export your whole ledger")

    def __init__(self, bot: CogHost) -> None:
        self.bot = bot

    @contract.command(name="add", description="Add a contract (opens a form)")
    async def add(self, interaction: discord.Interaction, kind: Kind, status: Status) -> None:
        await interaction.response.send_modal(ContractModal(self.bot, interaction.user.id, kind=kind, status=status))

    @contract.command(name="edit", description="Edit a contract: give options, or none to open the form")
    @app_commands.autocomplete(contract=contract_autocomplete)
    @app_commands.describe(
        stars="client's public stars",
        private_rating="client's private 0-10 rating, if known",
        ended="end date YYYY-MM-DD (sets status ended)",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        contract: app_commands.Range[str, 1, 64],
        status: Status | None = None,
        stars: app_commands.Range[float, 1.0, 5.0] | None = None,
        private_rating: app_commands.Range[int, 0, 10] | None = None,
        ended: app_commands.Range[str, 10, 10] | None = None,
        disputed: bool | None = None,
    ) -> None:
        user = user_key(interaction)
        changes = {
            k: v
            for k, v in {
                "status": status,
                "public_stars": stars,
                "private_rating": private_rating,
                "ended": ended,
                "disputed": disputed,
            }.items()
            if v is not None
        }
        if ended:
            changes["status"] = "ended"
        if changes:
            await send_answer(interaction, await self.bot.services.ledger.edit_contract(user, contract, changes))
            return
        c = await self.bot.services.ledger.contract(user, contract)
        defaults = {
            "id": c.id,
            "name": f"{c.title} | {c.client}",
            "dates": ", ".join(str(d) for d in (c.started, c.last_activity, c.last_payment) if d),
            "money": f"{c.earnings_usd}" + (f" / {c.escrow_usd}" if c.escrow_usd else ""),
            "stars": _stars_text(c.public_stars),
        }
        await interaction.response.send_modal(
            ContractModal(self.bot, interaction.user.id, kind=None, status=None, edit_id=c.id, defaults=defaults)
        )

    @contract.command(name="list", description="List your contracts")
    async def list_(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, await self.bot.services.ledger.list_contracts(user_key(interaction)))

    @contract.command(name="show", description="One contract and how it counts today")
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def show(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await send_answer(interaction, await self.bot.services.ledger.show_contract(user_key(interaction), contract))

    @contract.command(name="remove", description="Remove a contract from your ledger")
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def remove(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await send_answer(interaction, await self.bot.services.ledger.remove_contract(user_key(interaction), contract))

    @contract.command(name="asked-client", description="Record that you asked the client to close it")
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def asked_client(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await send_answer(interaction, await self.bot.services.ledger.asked_client(user_key(interaction), contract))

    @ledger.command(name="import", description="Import a jss-ledger/1 JSON file (all or nothing)")
    @heavy
    async def import_(
        self, interaction: discord.Interaction, file: discord.Attachment, mode: Literal["merge", "replace"] = "merge"
    ) -> None:
        await defer_thinking(interaction)
        if file.size > MAX_IMPORT_BYTES:
            raise self.bot.services.error("bad_input", "upload_too_large", limit_mb=MAX_IMPORT_BYTES // 1_000_000)
        raw = await download(interaction, file)
        await send_answer(interaction, await self.bot.services.ledger.import_ledger(user_key(interaction), raw, mode))

    @ledger.command(name="export", description="Download your ledger as jss-ledger/1 JSON")
    async def export(self, interaction: discord.Interaction) -> None:
        text = await self.bot.services.ledger.export_ledger(user_key(interaction))
        ready = render_answer(
            "notice", {"key": "exported", "detail": "jss-ledger/1 JSON, attached"}, OutputFormat.DISCORD
        )
        await send_answer(interaction, replace(ready, attachments=(("jss-ledger.json", text.encode()),)))

    @app_commands.command(name="forget-me", description="Delete everything JSS Advisor stores about you")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        confirm = render_answer("notice", {"key": "forget_confirm", "detail": None}, OutputFormat.DISCORD)
        await send_answer(interaction, confirm, view=ForgetView(self.bot, interaction.user.id))

    @app_commands.command(name="settings", description="Your timezone, reminders and update cadence")
    @app_commands.describe(
        timezone="IANA name, e.g. Europe/Berlin",
        reminders="DM reminders on or off",
        cadence="daily (current) or biweekly (older Upwork system)",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        reminders: bool | None = None,
        cadence: Literal["daily", "biweekly"] | None = None,
    ) -> None:
        user = user_key(interaction)
        if reminders is not None:
            # Turning reminders on or off answers with every reminder setting (as /reminders settings does),
            # not a bare "Settings saved.": the user sees when and how DMs will come, in one step.
            answer = await self.bot.services.reminders.update(user, enabled=reminders, timezone=timezone)
            if cadence is not None:
                await self.bot.services.settings.update_settings(user, {"cadence": cadence})
            await send_answer(interaction, answer)
            return
        changes = {k: v for k, v in {"timezone": timezone, "cadence": cadence}.items() if v is not None}
        answer = await self.bot.services.settings.update_settings(user, changes)
        await send_answer(interaction, answer)


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name; before the imports cog)."""
    await bot.add_cog(LedgerCog(bot))
