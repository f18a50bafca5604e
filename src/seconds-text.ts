// Waits and timeouts as the logs print them: whole seconds plainly ("5 s"), others to a tenth ("2.5 s").
export function secondsText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
