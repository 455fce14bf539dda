import { strings } from '../../strings'
import { useAppStore } from '../../stores/app-store'

const t = strings.checklist

export function Checklist() {
  const go = useAppStore((s) => s.go)
  return (
    <section aria-labelledby="checklist-title">
      <h1 id="checklist-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <ol className="checklist">
        {t.items.map(([label, screen]) => (
          <li key={label}>
            <span>{label}</span>
            <button type="button" className="small" onClick={() => go(screen)}>
              {t.go} {strings.nav[screen]}
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}
