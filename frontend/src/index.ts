// The module Home Assistant loads on every dashboard: the card, the panel, and the card's catalogue entry.
import { CARD_INFO } from "./card";
import "./panel";

interface CardCatalogue {
  customCards?: { type: string; name: string; description: string; preview?: boolean}[];
}

const catalogue = window as unknown as CardCatalogue;
catalogue.customCards = catalogue.customCards || [];
if (!catalogue.customCards.some((card) => card.type === CARD_INFO.type)) {
  catalogue.customCards.push({ ...CARD_INFO });
}
