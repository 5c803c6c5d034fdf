// A colour per channel that reads on light and dark cards: the hue its name suggests, else a palette.

const NAMED: readonly [RegExp, string][] = [
  [/\b(uv|ultra ?violet|violet|purple|lila)\b/i, "#9c4dcc"],
  [/royal|königs|koenigs|deep ?blue|actinic/i, "#4f5bd5"],
  [/moon|mond/i, "#7e8ce0"],
  [/\b(blue|blau)\b/i, "#2e8cf0"],
  [/\b(cyan|turquoise|türkis)\b/i, "#00acc1"],
  [/\b(red|rot)\b|refug|chaeto|grow/i, "#d8455f"],
  [/\b(green|grün|gruen)\b/i, "#43a047"],
  [/\b(amber|warm|sun|sonne)\b/i, "#f5a623"],
  [/\b(white|weiß|weiss|day|tag)\b/i, "#e0a93b"],
  [/\b(wave|welle|strömung|stream|flow|gyre)\b/i, "#2aa6c9"],
  [/\b(pump|pumpe|return|rückförder)\b/i, "#14a88e"],
  [/\b(heater|heizer|heizung)\b/i, "#ef6c00"],
];

const PALETTE: readonly string[] = ["#14a88e", "#f5a623", "#e0527a", "#7cb342", "#00acc1", "#ab47bc", "#ff7043", "#5c8df6"];

export function channelColor(name: string, index: number): string {
  for (const [pattern, color] of NAMED) if (pattern.test(name)) return color;
  return PALETTE[index % PALETTE.length]!;
}

/** One colour per channel, the same in the day view, the schedule list and the editor. */
export function colorsFor(channels: readonly { entity_id: string; name: string }[]): Map<string, string> {
  return new Map(channels.map((channel, index) => [channel.entity_id, channelColor(channel.name, index)]));
}
