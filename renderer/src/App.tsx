import { useEffect } from 'react'
import { AppShell } from './components/AppShell'
import { Dashboard } from './features/dashboard/Dashboard'
import { Welcome } from './features/welcome/Welcome'
import { Connections } from './features/connections/Connections'
import { Mapping } from './features/mapping/Mapping'
import { Buffers } from './features/buffers/Buffers'
import { Warehouses } from './features/warehouses/Warehouses'
import { LiveLog } from './features/log/LiveLog'
import { Resync } from './features/resync/Resync'
import { Checklist } from './features/checklist/Checklist'
import { Orders } from './features/orders/Orders'
import { strings } from './strings'
import { useAppStore } from './stores/app-store'
import { rawApi } from './lib/api'
import type { EngineEventDto } from '../../shared/dto'

// Status is re-read often enough that the dashboard follows the engine within its own latency even when
// the host does not push events.
const STATUS_POLL_MS = 2000

export function App() {
  const load = useAppStore((s) => s.load)
  const refreshLog = useAppStore((s) => s.refreshLog)
  const onEvents = useAppStore((s) => s.onEvents)
  const connected = useAppStore((s) => s.connected)
  const info = useAppStore((s) => s.info)
  const screen = useAppStore((s) => s.screen)
  useEffect(() => {
    void load()
    void refreshLog()
    const t = setInterval(() => {
      void load()
      void refreshLog()
    }, STATUS_POLL_MS)
    const off = rawApi()?.onEvents((events) => onEvents(events as EngineEventDto[]))
    return () => {
      clearInterval(t)
      off?.()
    }
  }, [load, refreshLog, onEvents])
  let body
  if (!connected) body = <p className="banner banner-error">{strings.errors.noBridge}</p>
  else if (info?.mode === 'empty' && screen === 'dashboard') body = <Welcome />
  else
    body = {
      dashboard: <Dashboard />,
      orders: <Orders />,
      connections: <Connections />,
      mapping: <Mapping />,
      buffers: <Buffers />,
      warehouses: <Warehouses />,
      log: <LiveLog />,
      resync: <Resync />,
      checklist: <Checklist />,
    }[screen]
  return <AppShell>{body}</AppShell>
}
