import { mount } from 'svelte'
import App from './App.svelte'
import { createClient, ipcTransport } from './lib/client'
import './app.css'

declare global {
  interface Window { hearth?: Parameters<typeof ipcTransport>[0] }
}

const target = document.getElementById('app')
if (target == null) throw new Error('missing #app')
if (window.hearth == null) {
  target.textContent = 'Hearth must be opened from the desktop app.'
} else {
  mount(App, { target, props: { client: createClient(ipcTransport(window.hearth)) } })
}
