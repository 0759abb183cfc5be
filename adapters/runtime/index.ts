export { trimNativeHeap } from './native-heap.js';
