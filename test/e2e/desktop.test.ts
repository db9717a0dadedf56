/**
 * The real renderer, built, in Debian's Chromium, driving two real cores
 * through the loopback bridge; the two cores chat over libp2p on 127.0.0.1.
 * This is the desktop app as a user meets it, minus the Electron window.
 *
 * `SCREENSHOTS=1` writes the README's screenshots to docs/screenshots/.
 */
import { mkdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../fixtures/browser.js'
import { startDesktop, type DesktopApp } from '../fixtures/desktop.js'
import { bubble, onboard, openApp, PASSPHRASE, send, SHOTS } from '../fixtures/app-page.js'


let browser: Browser
let apps: DesktopApp[] = []
let alice: Page
let bob: Page
const errors: string[] = []

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
  browser = await launchChromium()
  apps = [await startDesktop(), await startDesktop()]
  alice = await openApp(browser, apps[0]!, errors)
  bob = await openApp(browser, apps[1]!, errors)
})

afterAll(async () => {
  await browser?.close()
  for (const app of apps) await app.close()
})

describe('the desktop UI, in Chromium, over two real peers', () => {
  it('onboards two people, who explain nothing unusual is leaking into the page', async () => {
    await onboard(alice, 'Alice Lindqvist', 'onboarding.png')
    await onboard(bob, 'Bob Okafor')
    for (const page of [alice, bob]) {
      expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process, typeof (window as unknown as { Buffer?: unknown }).Buffer])).toEqual(['undefined', 'undefined', 'undefined'])
    }
  })

  it('refuses to run an injected inline script (CSP)', async () => {
    const ran = await alice.evaluate(async () => {
      const w = window as unknown as { injected?: boolean }
      const s = document.createElement('script')
      s.textContent = 'window.injected = true'
      document.body.appendChild(s)
      const div = document.createElement('div')
      div.innerHTML = '<img src="x" onerror="window.injected = true">'
      document.body.appendChild(div)
      await new Promise(resolve => setTimeout(resolve, 300))
      return w.injected === true
    })
    expect(ran).toBe(false)
  })

  it('adds a contact by a pasted invite code', async () => {
    await alice.getByRole('button', { name: 'Add a contact' }).first().click()
    const codeBox = alice.getByRole('textbox', { name: 'Your invite code' })
    await expect.poll(async () => codeBox.inputValue()).toMatch(/^hearth1/)
    const code = await codeBox.inputValue()
    await expect.poll(async () => alice.getByRole('img', { name: 'Your invite code as a QR code' }).count()).toBe(1)
    await alice.getByRole('button', { name: 'Close' }).click()

    await bob.getByRole('button', { name: 'Add a contact' }).first().click()
    await bob.getByRole('textbox', { name: 'Their invite code' }).fill(code)
    await bob.getByRole('button', { name: 'Add contact', exact: true }).click()
    await bob.getByRole('heading', { name: 'Alice Lindqvist' }).waitFor()
    await alice.getByRole('button', { name: /Bob Okafor/ }).waitFor()
  })

  it('carries a message each way, with ticks reaching "read", and shows typing', async () => {
    await send(bob, 'Hi Alice! Tea at five?')
    await bubble(bob, 'Hi Alice! Tea at five?').waitFor()
    await expect.poll(async () => bubble(bob, 'Tea at five').getAttribute('data-status')).toBe('delivered')
    // Unread in Alice's list until she opens it.
    await expect.poll(async () => alice.getByLabel('1 unread').count()).toBe(1)
    await alice.getByRole('button', { name: /Bob Okafor/ }).click()
    await bubble(alice, 'Hi Alice! Tea at five?').waitFor()
    await expect.poll(async () => bubble(bob, 'Tea at five').getAttribute('data-status')).toBe('read')
    expect(await bob.locator('.bubble[data-status="read"] .ticks').getAttribute('aria-label')).toBe('Read')

    await alice.getByRole('textbox', { name: 'Message' }).pressSequentially('Yes', { delay: 30 })
    await expect.poll(async () => bob.locator('.typing').textContent()).toContain('Alice Lindqvist is typing…')
    await alice.getByRole('textbox', { name: 'Message' }).fill('Yes please, I will bring scones.\nAnd jam.')
    await alice.getByRole('textbox', { name: 'Message' }).press('Enter')
    await bubble(bob, 'I will bring scones').waitFor()
    expect(await bubble(bob, 'I will bring scones').locator('.text').innerText()).toBe('Yes please, I will bring scones.\nAnd jam.')
    await expect.poll(async () => bubble(alice, 'I will bring scones').getAttribute('data-status')).toBe('read')
    await expect.poll(async () => bob.locator('.typing').textContent()).toBe('')
    await bob.getByRole('textbox', { name: 'Message' }).fill('See you then ☕')
    await bob.getByRole('textbox', { name: 'Message' }).press('Enter')
    await bubble(alice, 'See you then').waitFor()
    await alice.screenshot({ path: `${SHOTS}conversation.png` })
  })

  it('keeps a draft per conversation, and Shift+Enter makes a new line', async () => {
    const box = alice.getByRole('textbox', { name: 'Message' })
    await box.fill('half a thought')
    await box.press('Shift+Enter')
    expect(await box.inputValue()).toBe('half a thought\n')
    await alice.getByRole('button', { name: 'Safety number' }).click()
    await alice.getByRole('button', { name: 'Close' }).click()
    expect(await alice.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('half a thought\n')
    await alice.getByRole('textbox', { name: 'Message' }).fill('')
  })

  it('shows the same safety number on both sides, and a verified badge', async () => {
    await alice.getByRole('button', { name: 'Safety number' }).click()
    await bob.getByRole('button', { name: 'Safety number' }).click()
    const a = alice.locator('.safety')
    const b = bob.locator('.safety')
    await a.waitFor()
    await b.waitFor()
    const number = await a.getAttribute('data-safety')
    expect(number).toMatch(/^(\d{5} ){11}\d{5}$/)
    expect(await b.getAttribute('data-safety')).toBe(number)
    await alice.getByRole('img', { name: 'Safety number as a QR code' }).waitFor()
    await alice.screenshot({ path: `${SHOTS}safety-number.png` })
    await alice.getByRole('button', { name: 'Mark as verified' }).click()
    await alice.getByText('You have checked this safety number.').waitFor()
    await alice.getByRole('button', { name: 'Close' }).click()
    await bob.getByRole('button', { name: 'Close' }).click()
    await alice.locator('.chat-header .badge').waitFor()
  })

  it('edits a message and deletes one for everyone, on both pages', async () => {
    await send(alice, 'Bring the blue teapot')
    await bubble(bob, 'Bring the blue teapot').waitFor()
    await bubble(alice, 'Bring the blue teapot').getByRole('button', { name: 'Message actions' }).click()
    await alice.getByRole('menuitem', { name: 'Edit' }).click()
    await alice.getByRole('textbox', { name: 'New text' }).fill('Bring the green teapot')
    await alice.getByRole('button', { name: 'Save' }).click()
    await bubble(bob, 'Bring the green teapot').waitFor()
    expect(await bubble(bob, 'Bring the green teapot').textContent()).toContain('edited')
    expect(await bubble(bob, 'Bring the blue teapot').count()).toBe(0)

    await bubble(alice, 'Bring the green teapot').getByRole('button', { name: 'Message actions' }).click()
    await alice.getByRole('menuitem', { name: 'Delete for everyone' }).click()
    await expect.poll(async () => bubble(bob, 'teapot').count()).toBe(0)
    expect(await bubble(alice, 'teapot').count()).toBe(0)
  })

  it('agrees a disappearing timer, and a message vanishes on both pages', async () => {
    await alice.getByRole('combobox', { name: 'Disappearing messages' }).selectOption({ label: '30 seconds' })
    await alice.getByRole('note').filter({ hasText: 'You set disappearing messages to 30 seconds' }).waitFor()
    await bob.getByRole('note').filter({ hasText: 'Alice Lindqvist set disappearing messages to 30 seconds' }).waitFor()
    await expect.poll(async () => bob.getByRole('combobox', { name: 'Disappearing messages' }).inputValue()).toBe('30')

    await send(alice, 'This note will vanish')
    await bubble(alice, 'This note will vanish').waitFor()
    await bubble(bob, 'This note will vanish').waitFor()
    expect(await bubble(bob, 'This note will vanish').locator('.expires').count()).toBe(1)
    await alice.screenshot({ path: `${SHOTS}disappearing.png` })
    // The sender's clock started at send, the reader's at read (Bob has the conversation open).
    await expect.poll(async () => bubble(alice, 'This note will vanish').count(), { timeout: 45_000, interval: 500 }).toBe(0)
    await expect.poll(async () => bubble(bob, 'This note will vanish').count(), { timeout: 45_000, interval: 500 }).toBe(0)

    await bob.getByRole('combobox', { name: 'Disappearing messages' }).selectOption({ label: 'Off' })
    await alice.getByRole('note').filter({ hasText: 'Bob Okafor set disappearing messages to off' }).waitFor()
  }, 120_000)

  it('locks, refuses a wrong passphrase with a clear message, and unlocks', async () => {
    await alice.getByRole('button', { name: 'Lock now' }).click()
    await alice.getByRole('heading', { name: 'Hearth is locked' }).waitFor()
    expect(await alice.locator('.bubble').count()).toBe(0)
    await alice.getByLabel('Passphrase').fill('not my passphrase')
    await alice.getByRole('button', { name: 'Unlock' }).click()
    await expect.poll(async () => alice.getByRole('alert').textContent()).toContain('Wrong passphrase. Nothing was changed')
    await alice.getByLabel('Passphrase').fill(PASSPHRASE)
    await alice.getByRole('button', { name: 'Unlock' }).click()
    await alice.getByRole('button', { name: /Bob Okafor/ }).click()
    await bubble(alice, 'See you then').waitFor()
  })

  it('threw no errors in either page', () => {
    expect(errors).toEqual([])
  })
})
