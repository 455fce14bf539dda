import { useEffect } from 'react'
import { AppShell } from './components/AppShell'
import { Dashboard } from './features/dashboard/Dashboard'
import { Welcome } from './features/welcome/Welcome'
import { strings } from './strings'
import { useAppStore } from './stores/app-store'

export function App() {
  const load = useAppStore((s) => s.load)
  const connected = useAppStore((s) => s.connected)
  const info = useAppStore((s) => s.info)
  const screen = useAppStore((s) => s.screen)
  useEffect(() => {
    void load()
    const t = setInterval(() => void load(), 5000)
    return () => clearInterval(t)
  }, [load])
  let body
  if (!connected) body = <p className="banner banner-error">{strings.errors.noBridge}</p>
  else if (info?.mode === 'empty' && screen === 'dashboard') body = <Welcome />
  else if (screen === 'dashboard') body = <Dashboard />
  else
    body = (
      <section>
        <h1>{strings.nav[screen]}</h1>
        <p>{strings.comingSoon}</p>
      </section>
    )
  return <AppShell>{body}</AppShell>
}
