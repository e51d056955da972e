import { useState, type DragEvent } from 'react';

const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

export interface FileDropTarget {
  isDragging: boolean;
  /** Spread on the element that takes the drop. */
  handlers: {
    onDragEnter: (e: DragEvent) => void;
    onDragOver: (e: DragEvent) => void;
    onDragLeave: (e: DragEvent) => void;
    onDrop: (e: DragEvent) => void;
  };
}

/**
 * Makes an element take file drops itself, as the Add source dialog and the definitions drop zone
 * do: the events stop there, so the window-wide "drop to ingest" overlay stays out of the way.
 */
export function useFileDropTarget(onFile: (file: File) => void): FileDropTarget {
  const [isDragging, setIsDragging] = useState(false);
  const onDrag = (e: DragEvent, isOver: boolean) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    // dragleave also fires when moving onto a child; only leaving for outside the element ends the drag.
    if (!isOver && e.currentTarget.contains(e.relatedTarget as Node | null)) return;
    setIsDragging(isOver);
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setIsDragging(false);
    const [dropped] = Array.from(e.dataTransfer.files);
    if (dropped) onFile(dropped);
  };
  return {
    isDragging,
    handlers: { onDragEnter: (e) => onDrag(e, true), onDragOver: (e) => onDrag(e, true), onDragLeave: (e) => onDrag(e, false), onDrop },
  };
}
