import { useEffect, useRef, useState } from 'react';

/**
 * A form behind a button: open shows it; closing it — saved or cancelled — gives the focus back to
 * the button once it is on the page again, as a keyboard user expects.
 */
export function useDisclosure(initiallyOpen = false) {
  const [open, setOpen] = useState(initiallyOpen);
  // Counts closings: each one moves the focus, even when the form was shown for another reason than `open`.
  const [closings, setClosings] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (closings > 0) button.current?.focus();
  }, [closings]);
  return {
    open,
    button,
    show: () => setOpen(true),
    close: () => {
      setOpen(false);
      setClosings((n) => n + 1);
    },
  };
}
