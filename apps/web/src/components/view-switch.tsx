import { type ReactNode, useId, useState } from 'react';

/**
 * Switches between views of one screen: native radio buttons drawn as a segmented bar. Radios rather
 * than tabs: they wrap on a phone, where a tab bar's overflow menu hid tabs from keyboard users. Not
 * antd's Radio: it brings antd's whole form library along, and the public ranking page uses this.
 */
export function ViewSwitch({ label, items, value, onChange }: { label: string; items: { key: string; label: string; children: ReactNode }[]; value?: string; onChange?: (key: string) => void }) {
  // Uncontrolled unless the screen passes a value (a view that links to another view).
  const [own, setOwn] = useState(items[0]?.key);
  const current = value ?? own;
  const setCurrent = (key: string) => (onChange ? onChange(key) : setOwn(key));
  const name = useId();
  const shown = items.find((item) => item.key === current) ?? items[0];
  return (
    <div className="view-switch-frame">
      <div role="radiogroup" aria-label={label} className="view-switch">
        {items.map((item) => (
          <label key={item.key} className={item.key === shown?.key ? 'checked' : undefined}>
            <input type="radio" name={name} value={item.key} checked={item.key === shown?.key} onChange={() => setCurrent(item.key)} />
            <span>{item.label}</span>
          </label>
        ))}
      </div>
      <div>{shown?.children}</div>
    </div>
  );
}
