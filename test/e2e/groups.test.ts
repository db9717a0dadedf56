/**
 * Group chats in the built renderer, in Debian's Chromium, over three real
 * cores on 127.0.0.1 (through the loopback bridge): Alice makes a group with
 * Bob and Carol (her contacts, not each other's), everyone writes, and her
 * ticks count up to "read by 2 of 2"; then the member panel, and a removal.
 *
 * `SCREENSHOTS=1` writes group-conversation.png and group-members.png to docs/screenshots/.
 */
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { launchChromium } from '../fixtures/browser.js'
import { startDesktop, type DesktopApp } from '../fixtures/desktop.js'
import { bubble, onboard, openApp, send, SHOTS } from '../fixtures/app-page.js'

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url))
/** Group news travels member to member; give it time on a loaded build machine. */
const SLOW = { timeout: 30_000, interval: 100 }

let browser: Browser
let apps: DesktopApp[] = []
let alice: Page
let bob: Page
let carol: Page
const errors: string[] = []

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
  await mkdir(RESULTS, { recursive: true })
  browser = await launchChromium()
  apps = [await startDesktop(), await startDesktop(), await startDesktop()]
  alice = await openApp(browser, apps[0]!, errors)
  bob = await openApp(browser, apps[1]!, errors)
  carol = await openApp(browser, apps[2]!, errors)
})

afterAll(async () => {
  await browser?.close()
  for (const app of apps) await app.close()
})

/** `inviter` gives a code, `invitee` pastes it: they become contacts. */
async function befriend (inviter: Page, invitee: Page, inviteeName: string): Promise<void> {
  await inviter.getByRole('button', { name: 'Add a contact' }).first().click()
  const codeBox = inviter.getByRole('textbox', { name: 'Your invite code' })
  await expect.poll(async () => codeBox.inputValue(), SLOW).toMatch(/^hearth1/)
  const code = await codeBox.inputValue()
  await inviter.getByRole('button', { name: 'Close' }).click()
  await invitee.getByRole('button', { name: 'Add a contact' }).first().click()
  await invitee.getByRole('textbox', { name: 'Their invite code' }).fill(code)
  await invitee.getByRole('button', { name: 'Add contact', exact: true }).click()
  await invitee.locator('.chat-header h2').waitFor()
  await entry(inviter, inviteeName).waitFor()
}

/** A line of the sidebar: a contact by name, or a group (its accessible name starts "Group …"). */
function entry (page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${name}`) })
}

function note (page: Page, text: string): Locator {
  return page.getByRole('note').filter({ hasText: text })
}

describe('group chats in the desktop UI, in Chromium, over three real peers', () => {
  it('onboards three people; Alice adds Bob and Carol, who do not know each other', async () => {
    await onboard(alice, 'Alice Lindqvist')
    await onboard(bob, 'Bob Okafor')
    await onboard(carol, 'Carol Mendes')
    await befriend(alice, bob, 'Bob Okafor')
    await befriend(alice, carol, 'Carol Mendes')
  })

  it('Alice makes a group of the three of them, and it reaches Bob and Carol', async () => {
    await alice.getByRole('button', { name: 'New group' }).first().click()
    const dialog = alice.getByRole('dialog', { name: 'New group' })
    await dialog.getByLabel('Group name').fill('Flat 3')
    await dialog.getByRole('checkbox', { name: /Bob Okafor/ }).check()
    await dialog.getByRole('checkbox', { name: /Carol Mendes/ }).check()
    await dialog.getByRole('button', { name: 'Create group' }).click()
    await alice.getByRole('region', { name: 'Group Flat 3' }).waitFor()
    await note(alice, 'You created the group “Flat 3”').waitFor()

    for (const page of [bob, carol]) {
      await entry(page, 'Group Flat 3').waitFor(SLOW)
      await entry(page, 'Group Flat 3').click()
      await page.getByRole('region', { name: 'Group Flat 3' }).waitFor()
      await note(page, 'Alice Lindqvist created the group “Flat 3”').waitFor(SLOW)
    }
  })

  it('carries messages every way, with authors named, and Alice\'s ticks reach "read by 2 of 2"', async () => {
    await send(alice, 'Welcome to the flat group! Bins go out on Thursday.')
    const mine = bubble(alice, 'Bins go out on Thursday')
    await mine.waitFor()
    for (const page of [bob, carol]) {
      await bubble(page, 'Bins go out on Thursday').waitFor(SLOW)
      expect(await bubble(page, 'Bins go out on Thursday').locator('.author').textContent()).toBe('Alice Lindqvist')
    }
    // Bob and Carol have the group open, so they read it at once.
    const ticks = mine.locator('.group-ticks')
    await expect.poll(async () => ticks.getAttribute('aria-label'), SLOW).toBe('Read by 2 of 2')
    expect(await mine.getAttribute('data-status')).toBe('read')

    await send(bob, 'Thanks Alice! I have a spare key for whoever needs one.')
    await bubble(alice, 'spare key').waitFor(SLOW)
    // Carol and Bob are not contacts: the group still carries his message to her, with his name.
    await bubble(carol, 'spare key').waitFor(SLOW)
    expect(await bubble(carol, 'spare key').locator('.author').textContent()).toBe('Bob Okafor')
    await send(carol, 'Me please, mine is still at the locksmith')
    await bubble(alice, 'locksmith').waitFor(SLOW)
    await bubble(bob, 'locksmith').waitFor(SLOW)
    expect(await bubble(alice, 'locksmith').locator('.author').textContent()).toBe('Carol Mendes')
    // Two authors, two colours.
    const colour = async (b: Locator): Promise<string> => b.locator('.author').evaluate(el => getComputedStyle(el).color)
    expect(await colour(bubble(alice, 'spare key'))).not.toBe(await colour(bubble(alice, 'locksmith')))

    await send(alice, 'Perfect, Bob can you drop it round to Carol tonight?')
    await expect.poll(async () => bubble(alice, 'drop it round').locator('.group-ticks').getAttribute('aria-label'), SLOW).toBe('Read by 2 of 2')
    expect(await entry(alice, 'Group Flat 3').textContent()).toContain('You: Perfect, Bob can you drop it round')
    await alice.mouse.move(0, 0)
    await alice.screenshot({ path: `${SHOTS}group-conversation.png` })
    // The dark theme, to look at (authors' colours are picked for both); not for the README.
    await alice.emulateMedia({ colorScheme: 'dark' })
    await alice.screenshot({ path: `${RESULTS}group-conversation-dark.png` })
    await alice.emulateMedia({ colorScheme: 'light' })
  })

  it('lists who read a message', async () => {
    await bubble(alice, 'Bins go out on Thursday').locator('.group-ticks').click()
    const dialog = alice.getByRole('dialog', { name: 'Who has your message' })
    const readers = dialog.getByRole('list', { name: /Read by/ })
    await expect.poll(async () => (await readers.locator('li .name').allTextContents()).sort(), SLOW).toEqual(['Bob Okafor', 'Carol Mendes'])
    expect(await dialog.getByRole('list', { name: /Waiting for it/ }).textContent()).toContain('Nobody')
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('shows the member panel: everyone online, Alice the admin, admin actions only for her', async () => {
    await alice.getByRole('button', { name: 'Members' }).click()
    const panel = alice.getByRole('dialog', { name: 'Flat 3' })
    const rows = panel.locator('li.member')
    await expect.poll(async () => rows.count(), SLOW).toBe(3)
    // The creator first; those who joined with the group, in no particular order.
    const names = (await rows.locator('.name').allTextContents()).map(n => n.replace(/\s+/g, ' '))
    expect(names[0]).toBe('Alice Lindqvist (you)')
    expect(names.slice(1).sort()).toEqual(['Bob Okafor', 'Carol Mendes'])
    await expect.poll(async () => panel.locator('li.member .dot.online').count(), SLOW).toBe(3)
    expect(await panel.locator('.admin-badge').count()).toBe(1)
    await panel.getByRole('button', { name: 'Remove Carol Mendes' }).waitFor()
    await alice.mouse.move(0, 0)
    await alice.screenshot({ path: `${SHOTS}group-members.png` })
    await panel.getByRole('button', { name: 'Close' }).click()

    await bob.getByRole('button', { name: 'Members' }).click()
    const bobs = bob.getByRole('dialog', { name: 'Flat 3' })
    await expect.poll(async () => bobs.locator('li.member').count(), SLOW).toBe(3)
    // Carol is not Bob's contact: she goes by the name Alice gave her.
    expect(await bobs.locator('li.member', { hasText: 'Carol Mendes' }).textContent()).toContain('not a contact')
    expect(await bobs.getByRole('button', { name: /^Remove/ }).count()).toBe(0)
    expect(await bobs.getByRole('button', { name: /^Make .* an admin/ }).count()).toBe(0)
    await bobs.getByRole('button', { name: 'Close' }).click()
  })

  it('an admin removes Carol: everyone sees it, and her history stays read-only', async () => {
    await alice.getByRole('button', { name: 'Members' }).click()
    const panel = alice.getByRole('dialog', { name: 'Flat 3' })
    await panel.getByRole('button', { name: 'Remove Carol Mendes' }).click()
    await panel.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove Carol Mendes' }).click()
    await expect.poll(async () => panel.locator('li.member').count(), SLOW).toBe(2)
    await panel.getByRole('button', { name: 'Close' }).click()

    await note(alice, 'You removed Carol Mendes').waitFor(SLOW)
    await note(bob, 'Alice Lindqvist removed Carol Mendes').waitFor(SLOW)
    await note(carol, 'You were removed by Alice Lindqvist').waitFor(SLOW)
    await expect.poll(async () => carol.getByRole('textbox', { name: 'Message' }).count(), SLOW).toBe(0)
    expect(await carol.getByRole('status').filter({ hasText: 'You were removed from this group' }).count()).toBe(1)
    expect(await bubble(carol, 'Bins go out on Thursday').count()).toBe(1)

    // What Alice writes now reaches Bob only, and counts him alone.
    await send(alice, 'Carol has moved out; thanks for everything!')
    await bubble(bob, 'Carol has moved out').waitFor(SLOW)
    await expect.poll(async () => bubble(alice, 'Carol has moved out').locator('.group-ticks').getAttribute('aria-label'), SLOW).toBe('Read by 1 of 1')
    expect(await bubble(carol, 'Carol has moved out').count()).toBe(0)
  })

  it('shows in the sidebar how far the last message got', async () => {
    await send(bob, 'See you both tonight')
    await bubble(alice, 'See you both tonight').waitFor(SLOW)
    await send(alice, 'Great, see you!')
    await expect.poll(async () => bubble(alice, 'Great, see you!').locator('.group-ticks').getAttribute('aria-label'), SLOW).toBe('Read by 1 of 1')
    await expect.poll(async () => entry(alice, 'Group Flat 3').getByRole('img').getAttribute('aria-label'), SLOW).toBe('Read')
  })

  it('threw no errors in any page', () => {
    expect(errors).toEqual([])
  })
})
