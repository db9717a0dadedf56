/**
 * The Electron main process: thin glue around the same core the headless
 * peer uses. Windows, lifecycle, and the IPC adapter; nothing else.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { registerIpc } from './app/ipc.js'
import { CONTENT_SECURITY_POLICY, allowNavigation, allowPermission, externalLinkFor, isTrustedSender, webPreferences } from './app/security.js'
import { HearthHost } from './core/host.js'

const host = new HearthHost({ dataDir: join(app.getPath('userData'), 'profile') })
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).toString()
let window: BrowserWindow | undefined

function createWindow (): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Hearth',
    autoHideMenuBar: true,
    webPreferences: webPreferences(join(import.meta.dirname, '../preload/index.cjs'))
  })
  win.once('ready-to-show', () => { win.show() })
  win.webContents.on('will-navigate', (event, url) => { if (!allowNavigation(url)) event.preventDefault() })
  win.webContents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkFor(url)
    if (external != null) void shell.openExternal(external)
    return { action: 'deny' }
  })
  void win.loadURL(appUrl)
  return win
}

app.enableSandbox()
app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => { callback(allowPermission(permission)) })
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission))
  registerIpc(ipcMain, host, (frame) => isTrustedSender(frame, appUrl), (channel, name, payload) => {
    window?.webContents.send(channel, name, payload)
  })
  window = createWindow()
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) window = createWindow() })
}).catch((err: unknown) => {
  console.error('hearth: could not start', err)
  app.quit()
})

app.on('window-all-closed', () => {
  void host.lock().finally(() => { app.quit() })
})
