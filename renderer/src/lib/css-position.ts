// The CSP forbids inline style attributes, so virtualized rows are sized and placed through the CSSOM
// (which it allows), from callback refs.
export const heightRef = (px: number) => (el: HTMLElement | null) => {
  if (el) el.style.height = `${px}px`
}
export const offsetRef = (px: number) => (el: HTMLElement | null) => {
  if (el) el.style.transform = `translateY(${px}px)`
}
