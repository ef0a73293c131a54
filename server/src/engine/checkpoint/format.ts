/** Marks our safetensors checkpoints; bump when the layout changes. TensorFlow-free, so format code can share it. */
export const CHECKPOINT_FORMAT = 'mass-vscode-checkpoint/1';
