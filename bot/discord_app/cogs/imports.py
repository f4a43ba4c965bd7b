"""Upwork CSV import (`/ledger import-csv`), its follow-up for status and feedback, and `/message`.

`/ledger` belongs to the ledger cog; this cog adds its `import-csv` subcommand to that group when it
loads (and removes it when it unloads), so the ledger cog needs no change and must be added first.
After an import, a menu lists the contracts whose status or feedback the exports cannot know; picking
one opens a form. `/contract edit` remains the way to change them later.
"""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.imports import ImportService
from bot.services.ledger import MAX_IMPORT_BYTES
from scoring.model import Contract

from ..context import CogHost, host_of
from ..limits import heavy
from ..owned import OwnedModal, OwnedView
from ..replies import defer_thinking, send_answer
from .common import contract_autocomplete, download, user_key

MENU_SIZE = 25  # Discord's limit of options in one select menu
MessageKindChoice = Literal["ask-close", "ask-milestone", "goodbye"]


def _importer(interaction: discord.Interaction) -> ImportService:
    return host_of(interaction).services.imports


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DetailsModal(OwnedModal):
    """What exports lack for one contract: open or ended (and when), public stars, private rating, client."""

    def __init__(self, bot: CogHost, owner_id: int, contract: Contract) -> None:
        super().__init__(
            owner_id=owner_id,
            kind="import:details",
            title=_cut(f"Details: {contract.title}", 45),
            timeout=900,
            subject=contract.id,
        )
        self.bot, self.contract_id = bot, contract.id
        self.status: discord.ui.TextInput[DetailsModal] = discord.ui.TextInput(
            custom_id="status",
            label="Still open? Type open or ended",
            max_length=12,
            default="ended" if not contract.is_open else "open",
        )
        self.ended: discord.ui.TextInput[DetailsModal] = discord.ui.TextInput(
            custom_id="ended",
            label="End date if ended (YYYY-MM-DD)",
            max_length=10,
            required=False,
            placeholder=str(contract.last_activity),
            default=str(contract.ended) if contract.ended else None,
        )
        self.stars: discord.ui.TextInput[DetailsModal] = discord.ui.TextInput(
            custom_id="stars",
            label="Public stars 1-5 (empty if none)",
            max_length=5,
            required=False,
            default=None if contract.public_stars is None else f"{contract.public_stars:.3g}",
        )
        self.private: discord.ui.TextInput[DetailsModal] = discord.ui.TextInput(
            custom_id="private",
            label="Private rating 0-10 (empty if unknown)",
            max_length=2,
            required=False,
            default=None if contract.private_rating is None else str(contract.private_rating),
        )
        self.client_name: discord.ui.TextInput[DetailsModal] = discord.ui.TextInput(
            custom_id="client", label="Client name", max_length=200, default=contract.client
        )
        for item in (self.status, self.ended, self.stars, self.private, self.client_name):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        answer = await self.bot.services.imports.set_details(
            user_key(interaction),
            self.contract_id,
            status=str(self.status.value),
            ended=str(self.ended.value),
            public_stars=str(self.stars.value),
            private_rating=str(self.private.value),
            client=str(self.client_name.value),
        )
        await send_answer(interaction, answer)


class DetailsView(OwnedView):
    """A menu of the imported contracts that need details; each pick opens the form for that contract."""

    def __init__(self, bot: CogHost, owner_id: int, contracts: list[Contract]) -> None:
        super().__init__(owner_id=owner_id, timeout=900)
        self.bot = bot
        options = [
            discord.SelectOption(
                label=_cut(c.title, 100),
                value=c.id,
                description=_cut(f"{c.client} · ${c.earnings_usd:,.2f} · {c.status.value}", 100),
            )
            for c in contracts[:MENU_SIZE]
        ]
        self.menu: discord.ui.Select = discord.ui.Select(  # type: ignore[type-arg]
            custom_id=self.custom_id("import:menu"),
            placeholder="Add status and feedback for a contract…",
            options=options,
        )
        self.menu.callback = self.on_pick  # type: ignore[method-assign]
        self.add_item(self.menu)

    async def on_pick(self, interaction: discord.Interaction) -> None:
        contract = await self.bot.services.ledger.find_contract(user_key(interaction), self.menu.values[0])
        if contract is None:  # removed since the import
            raise self.bot.services.error("not_found", "contract_gone")
        await interaction.response.send_modal(DetailsModal(self.bot, interaction.user.id, contract))


@heavy
@app_commands.describe(
    file="Transaction History or Weekly Summary CSV from Upwork",
    file2="optional second export (e.g. an earlier period)",
)
async def import_csv(
    interaction: discord.Interaction, file: discord.Attachment, file2: discord.Attachment | None = None
) -> None:
    """`/ledger import-csv`: a free function, so it can join the ledger cog's group (see module docstring)."""
    await defer_thinking(interaction)
    bot = host_of(interaction)
    attachments = [a for a in (file, file2) if a is not None]
    if sum(a.size for a in attachments) > MAX_IMPORT_BYTES:
        raise bot.services.error("bad_input", "uploads_too_large", limit_mb=MAX_IMPORT_BYTES // 1_000_000)
    files = [(a.filename, await download(interaction, a)) for a in attachments]
    result = await _importer(interaction).import_csv(user_key(interaction), files)
    view = DetailsView(bot, interaction.user.id, list(result.needs_details)) if result.needs_details else None
    await send_answer(interaction, result.answer, view=view)


class ImportsCog(commands.Cog):
    def __init__(self, bot: CogHost) -> None:
        self.bot = bot
        self.import_command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name="import-csv",
            description="Import Upwork CSV exports (Transaction History, Weekly Summary)",
            callback=import_csv,
        )

    def _ledger_group(self) -> app_commands.Group:
        group = self.bot.tree.get_command("ledger")
        if not isinstance(group, app_commands.Group):
            raise RuntimeError("add LedgerCog before ImportsCog: /ledger import-csv joins its /ledger group")
        return group

    async def cog_load(self) -> None:
        self._ledger_group().add_command(self.import_command)

    async def cog_unload(self) -> None:
        group = self.bot.tree.get_command("ledger")
        if isinstance(group, app_commands.Group):
            group.remove_command(self.import_command.name)

    @app_commands.command(
        name="message",
        description="A polite message for your client: ask to close, ask for a milestone, or say goodbye",
    )
    @app_commands.describe(
        contract="one of your contracts",
        kind="which message",
        name="your name to sign with (default: your Discord name)",
        to="whom to greet (default: the contract's client)",
    )
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def message(
        self,
        interaction: discord.Interaction,
        contract: app_commands.Range[str, 1, 64],
        kind: MessageKindChoice,
        name: app_commands.Range[str, 1, 80] | None = None,
        to: app_commands.Range[str, 1, 80] | None = None,
    ) -> None:
        signature = name or interaction.user.display_name
        answer = await self.bot.services.messages.client_message(user_key(interaction), contract, kind, signature, to)
        await send_answer(interaction, answer)


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name, after the ledger cog)."""
    await bot.add_cog(ImportsCog(bot))
