import * as tf from '@tensorflow/tfjs';
import type { LayerVariable, Shape, Tensor } from '@tensorflow/tfjs';

/** A tfjs-layers Layer instance (the class is exported as a value only). */
type Layer = InstanceType<typeof tf.layers.Layer>;

/** How a TiedOutput is made: in code with the Embedding layer itself, or from a saved config with its name. */
export interface TiedOutputArgs {
  /** The Embedding layer whose matrix E [vocab, dim] is the output projection. */
  readonly embedding?: Layer;
  /** Its name (what a saved model.json holds, as `embedding_layer`). */
  readonly embeddingLayer?: string;
  /** Vocabulary size: the number of logits. */
  readonly units: number;
  readonly name?: string;
}

/** Depth of the upstream walk from this layer to its Embedding; a language model is a few layers deep. */
const MAX_UPSTREAM_LAYERS = 1000;

/**
 * The output projection of a tied language model (Press & Wolf 2016): logits = h · Eᵀ, where E is the Embedding
 * layer's own weight variable. The layer owns no weights, so a saved model stores E once; on load it finds the
 * Embedding again by name among the layers upstream of it and reads the same variable, so the model stays tied.
 * Its config names the embedding (`embedding_layer`), which is how our checkpoint reader recognises the tie.
 */
export class TiedOutput extends tf.layers.Layer {
  /** The name tfjs serialisation records and looks up. */
  static readonly className = 'TiedOutput';
  readonly embeddingLayer: string;
  readonly units: number;
  private embedding: Layer | undefined;

  constructor(args: TiedOutputArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    const name = args.embedding?.name ?? args.embeddingLayer;
    if (name === undefined) throw new Error('TiedOutput: expected the Embedding layer or its name, found neither');
    this.embeddingLayer = name;
    this.embedding = args.embedding;
    this.units = args.units;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const hidden = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      const matrix = this.tiedWeight().read();
      const width = hidden.shape[hidden.shape.length - 1] as number;
      const logits = tf.matMul(hidden.reshape([-1, width]), matrix, false, true);
      return logits.reshape([...hidden.shape.slice(0, -1), this.units]);
    });
  }

  /** The Embedding's weight variable this layer reads (the very object the Embedding layer holds). */
  tiedWeight(): LayerVariable {
    this.embedding ??= this.findEmbedding();
    const weight = this.embedding.weights[0];
    if (weight === undefined) throw new Error(`TiedOutput ${this.name}: the layer ${this.embeddingLayer} has no weights yet (not built)`);
    return weight;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), embeddingLayer: this.embeddingLayer, units: this.units };
  }

  /**
   * Walks the layers feeding this one (breadth first) to the one named `embeddingLayer`. tfjs snake-cases string
   * config values on save and camel-cases them on load ('token_embedding' comes back as 'tokenEmbedding'), so an
   * exact match is preferred and otherwise names are compared without underscores and case.
   */
  private findEmbedding(): Layer {
    const queue: Layer[] = [this];
    const seen = new Set<Layer>(queue);
    const loose = (name: string): string => name.replace(/_/g, '').toLowerCase();
    let looseMatch: Layer | undefined;
    for (let i = 0; i < queue.length && i < MAX_UPSTREAM_LAYERS; i++) {
      const layer = queue[i] as Layer;
      if (layer !== this && layer.name === this.embeddingLayer) return layer;
      if (layer !== this && looseMatch === undefined && loose(layer.name) === loose(this.embeddingLayer)) looseMatch = layer;
      for (const node of layer.inboundNodes) {
        for (const upstream of node.inboundLayers) {
          if (!seen.has(upstream)) {
            seen.add(upstream);
            queue.push(upstream);
          }
        }
      }
    }
    if (looseMatch) return looseMatch;
    throw new Error(`TiedOutput ${this.name}: expected an Embedding layer named ${this.embeddingLayer} upstream, found none`);
  }
}

/** A learned bias added to the last axis (the tied model's output bias, kept out of TiedOutput so it has no weights). */
export class OutputBias extends tf.layers.Layer {
  /** The name tfjs serialisation records and looks up. */
  static readonly className = 'OutputBias';
  private bias: LayerVariable | undefined;

  constructor(args: { readonly name?: string } = {}) {
    super(args.name === undefined ? {} : { name: args.name });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const units = shape[shape.length - 1];
    if (typeof units !== 'number') throw new Error(`OutputBias ${this.name}: expected a known last dimension, found ${String(units)}`);
    this.bias = this.addWeight('bias', [units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      if (!this.bias) throw new Error(`OutputBias ${this.name}: called before it was built`);
      return tf.add(x, this.bias.read());
    });
  }
}

tf.serialization.registerClass(TiedOutput);
tf.serialization.registerClass(OutputBias);
