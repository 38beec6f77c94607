import { Flex, Radio } from 'antd';
import { type ReactNode, useState } from 'react';

/**
 * Switches between views of one screen. Radio buttons rather than tabs: they wrap on a phone, where
 * the tab bar's overflow menu hid tabs from keyboard users and broke the tablist's roles.
 */
export function ViewSwitch({ label, items }: { label: string; items: { key: string; label: string; children: ReactNode }[] }) {
  const [current, setCurrent] = useState(items[0]?.key);
  const shown = items.find((item) => item.key === current) ?? items[0];
  return (
    <Flex vertical gap={16}>
      <Radio.Group
        aria-label={label}
        optionType="button"
        buttonStyle="solid"
        value={shown?.key}
        onChange={(event) => setCurrent(event.target.value as string)}
        options={items.map((item) => ({ value: item.key, label: item.label }))}
        style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
      />
      <div>{shown?.children}</div>
    </Flex>
  );
}
