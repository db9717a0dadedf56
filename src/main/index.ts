/**
 * The Electron main process: thin glue around the same core the headless
 * peer uses. Every security decision lives in src/main/app, as functions
 * that tests check without Electron; this file only wires them together.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, Notification, protocol, safeStorage, session, shell } from 'electron'
import { hardenSession, hardenWebContents } from './app/harden.js'
import { registerIpc } from './app/ipc.js'
import { createSafeStorageKeychain } from './app/keychain.js'
import { notifyOnMessages } from './app/notifications.js'
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, createAppProtocolHandler } from './app/protocol.js'
import { appUrlFor, isTrustedSender, mainWindowOptions } from './app/security.js'
import { HearthHost } from './core/host.js'

const appUrl = appUrlFor({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, packagedUrl: APP_URL })
let window: BrowserWindow | undefined
let host: HearthHost | undefined

function focusWindow (): void {
  if (window == null || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

function createWindow (): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  win.once('ready-to-show', () => { win.show() })
  return win
}

/** Notifications are kept referenced until closed, or their click handler would be collected. */
const shown = new Set<Notification>()
function showNotification (content: { title: string, body: string }): void {
  if (!Notification.isSupported()) return
  const notification = new Notification(content)
  shown.add(notification)
  notification.on('click', focusWindow)
  notification.on('close', () => { shown.delete(notification) })
  notification.show()
}

async function start (): Promise<void> {
  await app.whenReady()
  hardenSession(session.defaultSession)
  const rendererRoot = join(import.meta.dirname, '../renderer')
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot, async (file) => readFile(file)))

  const userData = app.getPath('userData')
  const keychain = createSafeStorageKeychain({ safeStorage, file: join(userData, 'remembered-passphrase.json') })
  const hearthHost = host = new HearthHost({ dataDir: join(userData, 'profile'), keychain })

  registerIpc(ipcMain, hearthHost, (frame) => isTrustedSender(frame, appUrl), (channel, name, payload) => {
    if (window != null && !window.isDestroyed()) window.webContents.send(channel, name, payload)
  })
  notifyOnMessages({
    events: hearthHost.events,
    api: hearthHost.api,
    isLocked: () => hearthHost.hearth == null,
    isFocused: () => window != null && !window.isDestroyed() && window.isFocused(),
    show: showNotification
  })

  window = createWindow()
  // The page opens on the conversation list, not the passphrase prompt, when the keychain remembers it.
  await hearthHost.unlockRemembered()
  await window.loadURL(appUrl)
}

if (!app.requestSingleInstanceLock()) {
  // Another Hearth owns this profile; it has been told to come forward.
  app.quit()
} else {
  app.on('second-instance', focusWindow)
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, async (url) => shell.openExternal(url))
  })
  app.on('window-all-closed', () => { app.quit() })

  // Quitting closes the store cleanly first: lock, then quit for real
  // (after a few seconds at most, should the network not let go).
  let locked = false
  app.on('before-quit', (event) => {
    if (locked || host == null) return
    event.preventDefault()
    const lock = host.lock().catch((err: unknown) => { console.error('hearth: could not lock cleanly', err) })
    void Promise.race([lock, new Promise(resolve => setTimeout(resolve, 5000))]).finally(() => {
      locked = true
      app.quit()
    })
  })

  start().catch((err: unknown) => {
    console.error('hearth: could not start', err)
    app.exit(1)
  })
}
