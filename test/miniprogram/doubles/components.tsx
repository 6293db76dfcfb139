import { createElement, type ReactNode } from 'react';

/**
 * Taro's components rendered as plain DOM for jsdom: what a user sees (text, buttons, inputs) stays
 * the same, Taro-only props are dropped. `onClick`/`onInput` keep working through React's DOM events.
 */
type Props = { children?: ReactNode; className?: string; [key: string]: unknown };

/** Taro accepts `style` as a CSS string (taro-ui uses that); React DOM wants an object. */
function styleObject(style: unknown): unknown {
  if (typeof style !== 'string') return style;
  return Object.fromEntries(
    style
      .split(';')
      .map((rule) => rule.split(':').map((part) => part.trim()))
      .filter(([name, value]) => name && value)
      .map(([name, value]) => [name!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );
}

function host(tag: string, name: string) {
  function TaroComponent({ children, ...props }: Props) {
    const domProps: Record<string, unknown> = { 'data-taro': name };
    for (const [key, value] of Object.entries(props)) {
      if (key === 'style') {
        domProps.style = styleObject(value);
      } else if (
        key === 'className' ||
        key === 'onClick' ||
        // An image that fails to load (an expired photo link).
        key === 'onError' ||
        key === 'role' ||
        key.startsWith('aria-') ||
        // Touches carry clientX/clientY as WeChat's do (drawing on a photo).
        key.startsWith('onTouch')
      ) {
        domProps[key] = value;
      } else if (key === 'onAgreePrivacyAuthorization' && typeof value === 'function' && !props.onClick) {
        // WeChat's 同意 button (open-type agreePrivacyAuthorization) reports the tap as this event.
        domProps.onClick = value;
      } else if (key === 'onInput' && typeof value === 'function') {
        domProps.onChange = (e: { target: { value: string } }) => value({ detail: { value: e.target.value } });
      } else if (name === 'Switch' && key === 'onChange' && typeof value === 'function') {
        // A switch is a checkbox to the user: its change carries the new state as WeChat's does.
        domProps.type = 'checkbox';
        domProps.onChange = (e: { target: { checked: boolean } }) => value({ detail: { value: e.target.checked } });
      } else if (name === 'Switch' && key === 'checked') {
        domProps.checked = Boolean(value);
      } else if (['value', 'placeholder', 'disabled', 'src', 'type', 'id'].includes(key)) {
        domProps[key] = value;
      }
    }
    return createElement(tag, domProps, children);
  }
  TaroComponent.displayName = name;
  return TaroComponent;
}

export const View = host('div', 'View');
export const Text = host('span', 'Text');
export const Button = host('button', 'Button');
export const Image = host('img', 'Image');
export const Input = host('input', 'Input');
export const Textarea = host('textarea', 'Textarea');
export const ScrollView = host('div', 'ScrollView');
export const Form = host('form', 'Form');
export const Label = host('label', 'Label');
export const Picker = host('div', 'Picker');
export const Switch = host('input', 'Switch');
export const Swiper = host('div', 'Swiper');
export const SwiperItem = host('div', 'SwiperItem');
export const Navigator = host('a', 'Navigator');
export const Icon = host('i', 'Icon');
