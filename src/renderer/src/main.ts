import { mount } from 'svelte'
import App from './App.svelte'
import { bridgeTransport, tokenFrom } from './lib/bridge-transport'
import { createClient, ipcTransport, type Transport } from './lib/client'
import './app.css'

declare global {
  interface Window { hearth?: Parameters<typeof ipcTransport>[0] }
}

/** Inside Electron the preload provides the API; in a plain browser, the loopback bridge does. */
function transport (): Transport | undefined {
  if (window.hearth != null) return ipcTransport(window.hearth)
  const token = tokenFrom(window.location.hash)
  if (token == null) return undefined
  // The token has done its job; keep it out of the address bar and history.
  history.replaceState(null, '', window.location.pathname)
  return bridgeTransport(token)
}

const target = document.getElementById('app')
if (target == null) throw new Error('missing #app')
const chosen = transport()
if (chosen == null) target.textContent = 'Open Hearth from the desktop app (or from the link npm run preview:web prints).'
else mount(App, { target, props: { client: createClient(chosen) } })
